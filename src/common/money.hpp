#pragma once
// Money is integer fen everywhere; this turns it into yuan text for messages and receipts.

#include <cstdint>
#include <string>

namespace storecrm {

// 12345 -> "123.45", -50 -> "-0.50".
std::string FormatYuan(int64_t fen);

}  // namespace storecrm
