#include "members/member_code.hpp"

#include <sodium.h>

namespace storecrm::members {
namespace {

std::string Mac(const security::FieldVault& vault, int64_t member_id, int64_t window) {
    const std::string raw = vault.BlindIndex("member_code", std::to_string(member_id) + ":" + std::to_string(window));
    std::string hex(17, '\0');
    sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(raw.data()), 8);
    hex.pop_back();
    return hex;
}

bool Digits(const std::string& s) { return !s.empty() && s.size() <= 18 && s.find_first_not_of("0123456789") == std::string::npos; }

}  // namespace

std::string MakeMemberCode(const security::FieldVault& vault, int64_t member_id, int64_t now) {
    const int64_t window = now / kMemberCodeWindowSeconds;
    return "MC" + std::to_string(member_id) + "-" + std::to_string(window) + "-" + Mac(vault, member_id, window);
}

bool IsMemberCodeShaped(const std::string& text) {
    if (text.size() < 8 || text.size() > 64 || (text.rfind("MC", 0) != 0 && text.rfind("mc", 0) != 0)) return false;
    const auto a = text.find('-'), b = text.rfind('-');
    return a != std::string::npos && b != a && Digits(text.substr(2, a - 2)) && Digits(text.substr(a + 1, b - a - 1));
}

std::optional<int64_t> ReadMemberCode(const security::FieldVault& vault, const std::string& code, int64_t now) {
    if (!IsMemberCodeShaped(code)) return std::nullopt;
    const auto a = code.find('-'), b = code.rfind('-');
    const int64_t member_id = std::stoll(code.substr(2, a - 2));
    const int64_t window = std::stoll(code.substr(a + 1, b - a - 1));
    const int64_t current = now / kMemberCodeWindowSeconds;
    if (window != current && window != current - 1) return std::nullopt;
    std::string mac = code.substr(b + 1);
    for (char& c : mac) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const std::string expected = Mac(vault, member_id, window);
    if (mac.size() != expected.size() || sodium_memcmp(mac.data(), expected.data(), mac.size()) != 0) return std::nullopt;
    return member_id;
}

}  // namespace storecrm::members
