#include "http/paging.hpp"

#include <charconv>

namespace storecrm::http {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string Encode(const std::string& in) {
    std::string out;
    int val = 0, bits = -6;
    for (unsigned char c : in) {
        val = (val << 8) + c;
        bits += 8;
        while (bits >= 0) {
            out.push_back(kAlphabet[(val >> bits) & 0x3F]);
            bits -= 6;
        }
    }
    if (bits > -6) out.push_back(kAlphabet[((val << 8) >> (bits + 8)) & 0x3F]);
    return out;
}

std::string Decode(const std::string& in) {
    std::string out;
    int val = 0, bits = -8;
    for (char c : in) {
        const char* p = std::char_traits<char>::find(kAlphabet, 64, c);
        if (!p) return {};
        val = (val << 6) + static_cast<int>(p - kAlphabet);
        bits += 6;
        if (bits >= 0) {
            out.push_back(static_cast<char>((val >> bits) & 0xFF));
            bits -= 8;
        }
    }
    return out;
}

bool ParseInt(const std::string& text, int64_t& out) {
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && ptr == text.data() + text.size();
}

}  // namespace

std::string Page::NextCursor(int64_t total) const {
    if (offset + limit >= total) return {};
    return Encode("o:" + std::to_string(offset + limit));
}

Result<Page> ReadPage(const Request& request, int64_t default_limit, int64_t max_limit) {
    Page page;
    page.limit = default_limit;
    if (auto limit = request.QueryParam("limit")) {
        if (!ParseInt(*limit, page.limit) || page.limit < 1 || page.limit > max_limit) {
            return Error::Field("limit", "field.out_of_range", {{"min", "1"}, {"max", std::to_string(max_limit)}});
        }
    }
    if (auto cursor = request.QueryParam("cursor"); cursor && !cursor->empty()) {
        std::string decoded = Decode(*cursor);
        if (decoded.rfind("o:", 0) != 0 || !ParseInt(decoded.substr(2), page.offset) || page.offset < 0) {
            return Error::Field("cursor", "field.invalid_cursor");
        }
    }
    return page;
}

}  // namespace storecrm::http
