#include "common/clock.hpp"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <ctime>

namespace storecrm {
namespace {

std::atomic<int64_t>& OffsetCell() {
    static std::atomic<int64_t> offset = [] {
        const char* env = std::getenv("STORECRM_CLOCK_OFFSET_SECONDS");
        return env ? static_cast<int64_t>(std::strtoll(env, nullptr, 10)) : int64_t{0};
    }();
    return offset;
}

int64_t Offset() { return OffsetCell().load(std::memory_order_relaxed); }

}  // namespace

int64_t NowUnix() {
    using namespace std::chrono;
    return duration_cast<seconds>(system_clock::now().time_since_epoch()).count() + Offset();
}

int64_t NowUnixMillis() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count() + Offset() * 1000;
}

std::optional<int> ParseClock(const std::string& s) {
    if (s.size() != 5 || s[2] != ':') return std::nullopt;
    for (int i : {0, 1, 3, 4}) {
        if (s[i] < '0' || s[i] > '9') return std::nullopt;
    }
    const int h = (s[0] - '0') * 10 + (s[1] - '0');
    const int m = (s[3] - '0') * 10 + (s[4] - '0');
    if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
    return h * 60 + m;
}

std::string FormatClock(int minute_of_day) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d", minute_of_day / 60, minute_of_day % 60);
    return buf;
}

void AdvanceClock(int64_t seconds) { OffsetCell().fetch_add(seconds, std::memory_order_relaxed); }

std::string FormatIsoUtc(int64_t unix_seconds) {
    std::time_t t = static_cast<std::time_t>(unix_seconds);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::optional<int64_t> ParseIsoDateTime(std::string_view s) {
    // YYYY-MM-DDTHH:MM:SSZ (UTC), the form FormatIsoUtc writes; the milliseconds a browser's
    // toISOString() adds (".123Z") are accepted and dropped.
    if (s.size() > 20 && s.size() <= 30 && s[19] == '.' && s.back() == 'Z') {
        for (size_t i = 20; i + 1 < s.size(); ++i) {
            if (s[i] < '0' || s[i] > '9') return std::nullopt;
        }
        std::string whole(s.substr(0, 19));
        whole += 'Z';
        return ParseIsoDateTime(whole);
    }
    if (s.size() != 20 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z') return std::nullopt;
    auto day = ParseIsoDate(s.substr(0, 10));
    if (!day) return std::nullopt;
    int parts[3];
    for (int k = 0; k < 3; ++k) {
        const char a = s[11 + 3 * k], b = s[12 + 3 * k];
        if (a < '0' || a > '9' || b < '0' || b > '9') return std::nullopt;
        parts[k] = (a - '0') * 10 + (b - '0');
    }
    if (parts[0] > 23 || parts[1] > 59 || parts[2] > 59) return std::nullopt;
    return *day + parts[0] * 3600 + parts[1] * 60 + parts[2];
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
