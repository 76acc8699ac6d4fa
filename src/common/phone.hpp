#pragma once
// Phone numbers, emails and dates as members enter them, and their masked forms.
// Phones are stored in E.164 ("+8613812345678"); mainland mobiles are shown without +86.

#include <optional>
#include <string>
#include <string_view>

namespace storecrm {

// E.164 or nullopt. Accepts mainland mobiles (11 digits, 1[3-9]...) with or without +86 /
// 0086 / 86 and separators, and any "+<country><number>" of 8–15 digits.
std::optional<std::string> NormalizePhone(std::string_view input);
std::string DisplayPhone(std::string_view e164);  // "+8613812345678" → "13812345678"
std::string PhoneLast4(std::string_view e164);
std::string MaskPhone(std::string_view e164);  // "138****5678", "+44******3456"

bool IsValidEmail(std::string_view email);
std::string NormalizeEmail(std::string_view email);  // trimmed, lower case
std::string MaskEmail(std::string_view email);       // "z***@example.com"
// Keeps the first `keep_code_points` characters (UTF-8 aware), then "****".
std::string MaskText(std::string_view utf8, size_t keep_code_points = 3);

// A real calendar date YYYY-MM-DD between 1900 and 2100.
bool IsValidDate(std::string_view yyyy_mm_dd);

}  // namespace storecrm
