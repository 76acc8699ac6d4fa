#include "common/clock.hpp"

#include <chrono>
#include <cstdlib>
#include <ctime>

namespace storecrm {
namespace {

int64_t Offset() {
    static const int64_t offset = [] {
        const char* env = std::getenv("STORECRM_CLOCK_OFFSET_SECONDS");
        return env ? std::strtoll(env, nullptr, 10) : 0LL;
    }();
    return offset;
}

}  // namespace

int64_t NowUnix() {
    using namespace std::chrono;
    return duration_cast<seconds>(system_clock::now().time_since_epoch()).count() + Offset();
}

int64_t NowUnixMillis() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count() + Offset() * 1000;
}

std::string FormatIsoUtc(int64_t unix_seconds) {
    std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::optional<int64_t> ParseIsoDate(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
        if (s[i] < '0' || s[i] > '9') return std::nullopt;
    }
    std::tm tm{};
    tm.tm_year = std::atoi(std::string(s.substr(0, 4)).c_str()) - 1900;
    tm.tm_mon = std::atoi(std::string(s.substr(5, 2)).c_str()) - 1;
    tm.tm_mday = std::atoi(std::string(s.substr(8, 2)).c_str());
    if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31) return std::nullopt;
    std::tm copy = tm;
    int64_t t = timegm(&copy);
    if (copy.tm_mday != tm.tm_mday || copy.tm_mon != tm.tm_mon) return std::nullopt;  // e.g. 02-30
    return t;
}

std::string TodayIsoDate() { return FormatIsoUtc(NowUnix()).substr(0, 10); }

}  // namespace storecrm
