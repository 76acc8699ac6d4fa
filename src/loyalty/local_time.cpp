#include "loyalty/local_time.hpp"

#include <unicode/gregocal.h>
#include <unicode/timezone.h>

#include <cstdio>
#include <memory>

namespace storecrm::loyalty {
namespace {

std::unique_ptr<icu::GregorianCalendar> CalendarAt(int64_t at, const std::string& timezone) {
    UErrorCode status = U_ZERO_ERROR;
    auto zone = icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(timezone.empty() ? "Asia/Shanghai" : timezone));
    auto cal = std::make_unique<icu::GregorianCalendar>(zone, status);  // adopts zone
    if (U_FAILURE(status)) return nullptr;
    cal->setTime(static_cast<UDate>(at) * 1000.0, status);
    if (U_FAILURE(status)) return nullptr;
    return cal;
}

// Local midnight at the start of the given day, as UTC seconds.
int64_t LocalMidnight(icu::GregorianCalendar& cal, int year, int month0, int day) {
    UErrorCode status = U_ZERO_ERROR;
    cal.clear();
    cal.set(year, month0, day, 0, 0, 0);
    const UDate ms = cal.getTime(status);
    return static_cast<int64_t>(ms / 1000.0);
}

std::optional<int> DaysOf(const std::string& policy) {
    if (policy.rfind("days:", 0) != 0 || policy.size() < 6 || policy.size() > 9) return std::nullopt;
    int days = 0;
    for (char c : policy.substr(5)) {
        if (c < '0' || c > '9') return std::nullopt;
        days = days * 10 + (c - '0');
    }
    return days > 0 ? std::optional<int>(days) : std::nullopt;
}

}  // namespace

bool IsExpiryPolicy(const std::string& policy) {
    return policy == "never" || policy == "end_of_year" || policy == "end_of_next_year" || DaysOf(policy).has_value();
}

std::optional<int64_t> PointsExpiry(const std::string& policy, int64_t earned_at, const std::string& timezone) {
    if (policy == "never" || !IsExpiryPolicy(policy)) return std::nullopt;
    auto cal = CalendarAt(earned_at, timezone);
    if (!cal) return std::nullopt;
    UErrorCode status = U_ZERO_ERROR;
    const int year = cal->get(UCAL_YEAR, status);
    const int month = cal->get(UCAL_MONTH, status);
    const int day = cal->get(UCAL_DATE, status);
    if (policy == "end_of_year") return LocalMidnight(*cal, year + 1, UCAL_JANUARY, 1);
    if (policy == "end_of_next_year") return LocalMidnight(*cal, year + 2, UCAL_JANUARY, 1);
    // days:N — valid through the Nth local day after earning; the calendar rolls the date over.
    return LocalMidnight(*cal, year, month, day + *DaysOf(policy) + 1);
}

int LocalWeekday(int64_t at, const std::string& timezone) {
    auto cal = CalendarAt(at, timezone);
    if (!cal) return 0;
    UErrorCode status = U_ZERO_ERROR;
    const int dow = cal->get(UCAL_DAY_OF_WEEK, status);  // 1 = Sunday
    return dow == UCAL_SUNDAY ? 7 : dow - 1;
}

std::string LocalDate(int64_t at, const std::string& timezone) {
    auto cal = CalendarAt(at, timezone);
    if (!cal) return "";
    UErrorCode status = U_ZERO_ERROR;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", cal->get(UCAL_YEAR, status), cal->get(UCAL_MONTH, status) + 1,
                  cal->get(UCAL_DATE, status));
    return buf;
}

int LocalHour(int64_t at, const std::string& timezone) {
    auto cal = CalendarAt(at, timezone);
    if (!cal) return 0;
    UErrorCode status = U_ZERO_ERROR;
    return cal->get(UCAL_HOUR_OF_DAY, status);
}

}  // namespace storecrm::loyalty
