#pragma once
// One-time SMS codes 短信验证码 for the member's sign-in: six digits, only their hash stored,
// valid five minutes, dead after five wrong tries; at most one a minute and five an hour per
// phone, twenty an hour per address. Limits are counted in the database, so they hold across
// instances. In this version the code is "sent" through the file channel: the messages table,
// which the admin's message log shows.

#include <cstdint>
#include <optional>
#include <string>

#include "common/error.hpp"
#include "security/crypto.hpp"
#include "storage/database.hpp"

namespace storecrm::portal {

inline constexpr int64_t kOtpLifetimeSeconds = 5 * 60;
inline constexpr int kOtpMaxAttempts = 5;

struct OtpRequest {
    std::string phone;  // E.164
    std::string ip;
    std::optional<int64_t> member_id;  // when the phone belongs to a member already
    int64_t now = 0;
};

// Makes, stores and sends a code; rate_limited when a limit is reached.
Status IssueOtp(storage::Transaction& tx, const security::FieldVault& vault, const OtpRequest& request);

enum class OtpCheck { kOk, kWrong, kExpiredOrUsed };
// Checks the newest live code of the phone; a wrong try counts against it.
Result<OtpCheck> CheckOtp(storage::Transaction& tx, const security::FieldVault& vault, const std::string& phone,
                          const std::string& code, int64_t now);

}  // namespace storecrm::portal
