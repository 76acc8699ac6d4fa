#include "service/business_hours.hpp"

#include <unicode/gregocal.h>
#include <unicode/timezone.h>

#include <cstdio>
#include <memory>

namespace storecrm::service {
namespace {

std::unique_ptr<icu::GregorianCalendar> Calendar(const std::string& timezone) {
    UErrorCode status = U_ZERO_ERROR;
    auto zone = icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(timezone.empty() ? "Asia/Shanghai" : timezone));
    auto cal = std::make_unique<icu::GregorianCalendar>(zone, status);  // adopts zone
    return U_FAILURE(status) ? nullptr : std::move(cal);
}

struct LocalDay {
    int year, month0, day;
};

LocalDay DayOf(icu::GregorianCalendar& cal, int64_t at) {
    UErrorCode status = U_ZERO_ERROR;
    cal.setTime(static_cast<UDate>(at) * 1000.0, status);
    return {cal.get(UCAL_YEAR, status), cal.get(UCAL_MONTH, status), cal.get(UCAL_DATE, status)};
}

// The UTC instant of a local wall-clock minute on `day` (+ `add_days`); the calendar rolls
// over month ends and resolves a time skipped by daylight saving to the instant after it.
int64_t At(icu::GregorianCalendar& cal, LocalDay day, int add_days, int minute_of_day) {
    UErrorCode status = U_ZERO_ERROR;
    cal.clear();
    // Wall-clock fields, not "midnight + N minutes": on a daylight-saving day the two differ.
    // 24:00 is the next day's midnight.
    cal.set(day.year, day.month0, day.day + add_days + minute_of_day / (24 * 60), (minute_of_day % (24 * 60)) / 60,
            minute_of_day % 60, 0);
    return static_cast<int64_t>(cal.getTime(status) / 1000.0);
}

}  // namespace

int64_t AddBusinessMinutes(int64_t start, int64_t minutes, const BusinessHours& hours) {
    auto cal = Calendar(hours.timezone);
    const bool always_open = hours.opens_minute <= 0 && hours.closes_minute >= 24 * 60;
    if (!cal || always_open || hours.closes_minute <= hours.opens_minute) return start + minutes * 60;
    int64_t remaining = minutes * 60;
    int64_t t = start;
    // A year of closed days would mean a misconfiguration; stop walking rather than loop.
    for (int guard = 0; guard < 400; ++guard) {
        const LocalDay day = DayOf(*cal, t);
        const int64_t open = At(*cal, day, 0, hours.opens_minute);
        const int64_t close = At(*cal, day, 0, hours.closes_minute);
        if (t < open) t = open;
        if (t < close) {
            if (remaining <= close - t) return t + remaining;
            remaining -= close - t;
        }
        t = At(*cal, day, 1, 0);  // the next local midnight
    }
    return t + remaining;
}

int64_t LocalDayStart(int64_t at, const std::string& timezone, int add_days) {
    auto cal = Calendar(timezone);
    if (!cal) return at;
    return At(*cal, DayOf(*cal, at), add_days, 0);
}

std::optional<int64_t> LocalDateStart(const std::string& date, const std::string& timezone) {
    auto cal = Calendar(timezone);
    int y = 0, m = 0, d = 0;
    if (!cal || date.size() != 10 || std::sscanf(date.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3) return std::nullopt;
    if (m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
    return At(*cal, {y, m - 1, d}, 0, 0);
}

}  // namespace storecrm::service
