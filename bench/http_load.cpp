#include "http_load.hpp"

#include <algorithm>

namespace bench {

Figures Summarise(std::vector<double>& latencies_ms, int64_t errors, double seconds) {
    Figures f;
    f.count = static_cast<int64_t>(latencies_ms.size());
    f.errors = errors;
    f.per_second = f.count / seconds;
    if (!latencies_ms.empty()) {
        std::sort(latencies_ms.begin(), latencies_ms.end());
        f.p50_ms = latencies_ms[latencies_ms.size() / 2];
        f.p99_ms = latencies_ms[std::min(latencies_ms.size() - 1, latencies_ms.size() * 99 / 100)];
    }
    return f;
}

std::string UrlEncode(const std::string& s) {
    std::string out;
    const char* hex = "0123456789ABCDEF";
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
            out.push_back(static_cast<char>(c));
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::vector<tcp::endpoint> LoopbackEndpoints(const std::string& ports) {
    std::vector<tcp::endpoint> endpoints;
    size_t start = 0;
    while (start <= ports.size()) {
        size_t end = ports.find(',', start);
        if (end == std::string::npos) end = ports.size();
        endpoints.emplace_back(asio::ip::make_address("127.0.0.1"),
                               static_cast<unsigned short>(std::stoi(ports.substr(start, end - start))));
        start = end + 1;
    }
    return endpoints;
}

}  // namespace bench
