#include "common/phone.hpp"

#include <algorithm>
#include <cctype>

namespace storecrm {
namespace {

bool IsMainlandMobile(const std::string& digits) {
    return digits.size() == 11 && digits[0] == '1' && digits[1] >= '3' && digits[1] <= '9';
}

}  // namespace

std::optional<std::string> NormalizePhone(std::string_view input) {
    std::string digits;
    bool plus = false;
    for (size_t i = 0; i < input.size(); ++i) {
        char c = input[i];
        if (c >= '0' && c <= '9') {
            digits.push_back(c);
        } else if (c == '+' && digits.empty() && !plus) {
            plus = true;
        } else if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')') {
            continue;
        } else {
            return std::nullopt;
        }
    }
    if (digits.empty()) return std::nullopt;
    if (!plus && digits.rfind("00", 0) == 0) {
        plus = true;
        digits = digits.substr(2);
    }
    if (plus) {
        if (digits.rfind("86", 0) == 0) {
            std::string national = digits.substr(2);
            if (!IsMainlandMobile(national)) return std::nullopt;
            return "+86" + national;
        }
        if (digits.size() < 8 || digits.size() > 15 || digits[0] == '0') return std::nullopt;
        return "+" + digits;
    }
    if (IsMainlandMobile(digits)) return "+86" + digits;
    if (digits.size() == 13 && digits.rfind("86", 0) == 0 && IsMainlandMobile(digits.substr(2))) {
        return "+" + digits;
    }
    return std::nullopt;
}

std::string DisplayPhone(std::string_view e164) {
    if (e164.rfind("+86", 0) == 0) return std::string(e164.substr(3));
    return std::string(e164);
}

std::string PhoneLast4(std::string_view e164) {
    return e164.size() >= 4 ? std::string(e164.substr(e164.size() - 4)) : std::string(e164);
}

std::string MaskPhone(std::string_view e164) {
    if (e164.rfind("+86", 0) == 0 && e164.size() == 14) {
        return std::string(e164.substr(3, 3)) + "****" + std::string(e164.substr(10));
    }
    if (e164.size() <= 7) return std::string(e164.size(), '*');
    // Keep "+" and the first two digits (the country code, roughly) and the last four.
    return std::string(e164.substr(0, 3)) + std::string(e164.size() - 7, '*') + std::string(e164.substr(e164.size() - 4));
}

bool IsValidEmail(std::string_view email) {
    if (email.size() > 254 || email.size() < 3) return false;
    size_t at = email.find('@');
    if (at == std::string_view::npos || at == 0 || at > 64 || email.find('@', at + 1) != std::string_view::npos) {
        return false;
    }
    std::string_view domain = email.substr(at + 1);
    size_t dot = domain.find('.');
    if (domain.empty() || dot == std::string_view::npos || dot == 0 || domain.back() == '.' ||
        domain.find("..") != std::string_view::npos) {
        return false;
    }
    for (char c : email) {
        if (static_cast<unsigned char>(c) <= ' ' || c == '<' || c == '>' || c == '"' || c == ',' || c == ';' ||
            c == '\\' || c == '(' || c == ')' || c == '[' || c == ']' || c == ':') {
            return false;
        }
    }
    return true;
}

std::string NormalizeEmail(std::string_view email) {
    size_t a = email.find_first_not_of(" \t"), b = email.find_last_not_of(" \t");
    std::string out = a == std::string_view::npos ? std::string() : std::string(email.substr(a, b - a + 1));
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string MaskEmail(std::string_view email) {
    size_t at = email.find('@');
    if (at == std::string_view::npos || at == 0) return "***";
    return std::string(email.substr(0, 1)) + "***" + std::string(email.substr(at));
}

std::string MaskText(std::string_view utf8, size_t keep_code_points) {
    if (utf8.empty()) return {};
    size_t kept = 0, i = 0;
    while (i < utf8.size() && kept < keep_code_points) {
        ++i;
        while (i < utf8.size() && (static_cast<unsigned char>(utf8[i]) & 0xC0) == 0x80) ++i;
        ++kept;
    }
    return std::string(utf8.substr(0, i)) + "****";
}

bool IsValidDate(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
    for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
        if (s[i] < '0' || s[i] > '9') return false;
    }
    const int year = std::stoi(std::string(s.substr(0, 4)));
    const int month = std::stoi(std::string(s.substr(5, 2)));
    const int day = std::stoi(std::string(s.substr(8, 2)));
    if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) return false;
    static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

}  // namespace storecrm
