#include "common/money.hpp"

#include <cstdio>

namespace storecrm {

std::string FormatYuan(int64_t fen) {
    const bool negative = fen < 0;
    const uint64_t abs = negative ? 0 - static_cast<uint64_t>(fen) : static_cast<uint64_t>(fen);
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s%llu.%02llu", negative ? "-" : "", static_cast<unsigned long long>(abs / 100),
                  static_cast<unsigned long long>(abs % 100));
    return buf;
}

}  // namespace storecrm
