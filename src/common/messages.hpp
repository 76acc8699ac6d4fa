#pragma once
// The catalog of user-facing messages in zh-CN and en. Every error key used anywhere in the
// server is listed in messages.cpp; messages_test.cpp checks both languages exist for each.

#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"

namespace storecrm {

enum class Locale { kZhCN, kEn };

// Picks zh-CN or en from an Accept-Language header or a saved preference; zh-CN by default.
Locale ParseLocale(std::string_view header_or_code);
const char* LocaleCode(Locale locale);

// Renders a message, substituting {name} placeholders with the message's arguments.
// An unknown key renders as the key itself (and is caught by the catalog test).
std::string Render(const Message& message, Locale locale);
std::string Render(std::string_view key, Locale locale);

bool HasMessage(std::string_view key);
std::vector<std::string> AllMessageKeys();

}  // namespace storecrm
