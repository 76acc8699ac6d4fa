#pragma once
// Staff passwords: Argon2id through libsodium (19 MiB, 2 passes — the OWASP minimum, cheap
// enough that a 2-core server signs in staff without queuing) and the complexity rules.

#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"

namespace storecrm::security {

inline constexpr unsigned long long kPasswordOpsLimit = 2;
inline constexpr size_t kPasswordMemLimit = 19u * 1024u * 1024u;

std::string HashPassword(std::string_view password);
bool VerifyPassword(std::string_view hash, std::string_view password);

// The message keys of every rule the password breaks (empty when acceptable):
// 8–128 characters, at least three character classes, not containing the username.
std::vector<std::string> PasswordRuleViolations(std::string_view password, std::string_view username);

}  // namespace storecrm::security
