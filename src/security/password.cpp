#include "security/password.hpp"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>

namespace storecrm::security {

std::string HashPassword(std::string_view password) {
    char out[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(out, password.data(), password.size(), kPasswordOpsLimit, kPasswordMemLimit,
                              crypto_pwhash_ALG_ARGON2ID13) != 0) {
        throw std::runtime_error("out of memory while hashing a password");
    }
    return out;
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
    std::string h(hash);
    return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

std::vector<std::string> PasswordRuleViolations(std::string_view password, std::string_view username) {
    std::vector<std::string> violations;
    if (password.size() < 8) violations.push_back("field.password_too_short");
    if (password.size() > 128) violations.push_back("field.password_too_long");
    bool lower = false, upper = false, digit = false, symbol = false;
    for (unsigned char c : password) {
        if (std::islower(c)) lower = true;
        else if (std::isupper(c)) upper = true;
        else if (std::isdigit(c)) digit = true;
        else symbol = true;
    }
    if (lower + upper + digit + symbol < 3) violations.push_back("field.password_classes");
    if (username.size() >= 3) {
        auto lower_case = [](std::string_view s) {
            std::string out(s);
            std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
            return out;
        };
        if (lower_case(password).find(lower_case(username)) != std::string::npos) {
            violations.push_back("field.password_contains_username");
        }
    }
    return violations;
}

}  // namespace storecrm::security
