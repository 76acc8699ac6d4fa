#include "security/totp.hpp"

#include <liboath/oath.h>
#include <sodium.h>

#include <cctype>
#include <cstdlib>
#include <mutex>

namespace storecrm::security {
namespace {

constexpr unsigned kStepSeconds = 30;
constexpr size_t kWindowSteps = 1;

void InitOath() {
    static std::once_flag once;
    std::call_once(once, [] { oath_init(); });
}

std::string UriEscape(const std::string& text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

}  // namespace

std::string NewTotpSecret() {
    std::string secret(20, '\0');
    randombytes_buf(secret.data(), secret.size());
    return secret;
}

std::string TotpBase32(const std::string& secret) {
    InitOath();
    char* out = nullptr;
    size_t length = 0;
    if (oath_base32_encode(secret.data(), secret.size(), &out, &length) != OATH_OK) return "";
    std::string encoded(out, length);
    std::free(out);
    while (!encoded.empty() && encoded.back() == '=') encoded.pop_back();  // apps expect no padding
    return encoded;
}

std::string TotpUri(const std::string& issuer, const std::string& account, const std::string& secret) {
    return "otpauth://totp/" + UriEscape(issuer) + ":" + UriEscape(account) + "?secret=" + TotpBase32(secret) +
           "&issuer=" + UriEscape(issuer) + "&algorithm=SHA1&digits=6&period=30";
}

std::optional<int64_t> MatchTotp(const std::string& secret, const std::string& code, int64_t now_unix) {
    if (code.size() != 6) return std::nullopt;
    for (char c : code) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
    }
    InitOath();
    uint64_t counter = 0;
    int position = 0;
    const int rc = oath_totp_validate3(secret.data(), secret.size(), static_cast<time_t>(now_unix), kStepSeconds, 0,
                                       kWindowSteps, &position, &counter, code.c_str());
    if (rc < 0) return std::nullopt;
    return static_cast<int64_t>(counter);
}

std::string TotpCode(const std::string& secret, int64_t now_unix) {
    InitOath();
    char code[7] = {0};
    if (oath_totp_generate(secret.data(), secret.size(), static_cast<time_t>(now_unix), kStepSeconds, 0, 6, code) !=
        OATH_OK) {
        return "";
    }
    return code;
}

std::vector<std::string> NewRecoveryCodes() {
    static constexpr char kAlphabet[] = "abcdefghjkmnpqrstuvwxyz23456789";  // no 0/o, 1/l/i
    std::vector<std::string> codes;
    for (int i = 0; i < 10; ++i) {
        std::string code;
        for (int j = 0; j < 8; ++j) {
            if (j == 4) code += '-';
            code += kAlphabet[randombytes_uniform(sizeof kAlphabet - 1)];
        }
        codes.push_back(code);
    }
    return codes;
}

std::string NormalizeRecoveryCode(const std::string& typed) {
    std::string letters;
    for (unsigned char c : typed) {
        if (std::isalnum(c)) letters += static_cast<char>(std::tolower(c));
    }
    if (letters.size() != 8) return "";
    return letters.substr(0, 4) + "-" + letters.substr(4);
}

}  // namespace storecrm::security
