#pragma once
// Time-based one-time codes (RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps) through
// liboath, as every authenticator app computes them; and single-use recovery codes.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace storecrm::security {

// 20 random bytes (160 bits, RFC 4226's recommendation).
std::string NewTotpSecret();
std::string TotpBase32(const std::string& secret);
std::string TotpUri(const std::string& issuer, const std::string& account, const std::string& secret);

// The 30-second step the code belongs to, if it matches `now` or one step either side (a phone
// clock a little off); nullopt otherwise. The caller refuses steps already used.
std::optional<int64_t> MatchTotp(const std::string& secret, const std::string& code, int64_t now_unix);
// The code for a step (tests and the enrolment check).
std::string TotpCode(const std::string& secret, int64_t now_unix);

// Ten codes "abcd-efgh" of an unambiguous alphabet; only their HashToken is stored.
std::vector<std::string> NewRecoveryCodes();
// Lower case, without spaces, with the dash restored: what the user typed, as it was handed out.
std::string NormalizeRecoveryCode(const std::string& typed);

}  // namespace storecrm::security
