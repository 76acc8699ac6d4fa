#include "portal/join_links.hpp"

#include <sodium.h>

namespace storecrm::portal {
namespace {

std::string Mac(const security::FieldVault& vault, const std::string& body) {
    const std::string raw = vault.BlindIndex("join_link", body);
    std::string hex(21, '\0');
    sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(raw.data()), 10);
    hex.pop_back();
    return hex;
}

}  // namespace

std::string JoinToken(const security::FieldVault& vault, const JoinTarget& t) {
    const std::string body = std::to_string(t.store_id) + "-" + std::to_string(t.guide_id.value_or(0));
    return body + "-" + Mac(vault, body);
}

std::optional<JoinTarget> ReadJoinToken(const security::FieldVault& vault, const std::string& token) {
    const auto a = token.find('-'), b = token.rfind('-');
    if (a == std::string::npos || b == a || token.size() > 64) return std::nullopt;
    const std::string body = token.substr(0, b);
    const std::string mac = token.substr(b + 1);
    const std::string expected = Mac(vault, body);
    if (mac.size() != expected.size() || sodium_memcmp(mac.data(), expected.data(), mac.size()) != 0) return std::nullopt;
    try {
        JoinTarget t{std::stoll(token.substr(0, a)), std::nullopt};
        const int64_t guide = std::stoll(token.substr(a + 1, b - a - 1));
        if (guide > 0) t.guide_id = guide;
        return t;
    } catch (...) {
        return std::nullopt;
    }
}

}  // namespace storecrm::portal
