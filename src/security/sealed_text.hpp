#pragma once
// Base64 (standard alphabet) and vault-encrypted text for TEXT columns and JSON settings:
// provider secrets, two-factor secrets.

#include <optional>
#include <string>
#include <string_view>

#include "security/crypto.hpp"

namespace storecrm::security {

std::string Base64Encode(std::string_view bytes);
// Empty on malformed input.
std::string Base64Decode(std::string_view text);

std::string SealText(const FieldVault& vault, std::string_view plaintext);
std::optional<std::string> OpenText(const FieldVault& vault, std::string_view sealed);

}  // namespace storecrm::security
