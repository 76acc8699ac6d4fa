#pragma once
// The rotating member code 动态会员码 on the member's phone: "MC<id>-<minute window>-<MAC>",
// valid for the window it was made in and the one after (one to two minutes), so a screenshot
// is useless by the next visit. The cashier scans it into the member search box.

#include <cstdint>
#include <optional>
#include <string>

#include "security/crypto.hpp"

namespace storecrm::members {

inline constexpr int64_t kMemberCodeWindowSeconds = 60;

std::string MakeMemberCode(const security::FieldVault& vault, int64_t member_id, int64_t now);
// The member id when `code` is a member code valid at `now`.
std::optional<int64_t> ReadMemberCode(const security::FieldVault& vault, const std::string& code, int64_t now);
// Looks like a member code (whether or not still valid).
bool IsMemberCodeShaped(const std::string& text);

}  // namespace storecrm::members
