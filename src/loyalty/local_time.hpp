#pragma once
// Store-local calendar questions about UTC instants (ICU time zones): when does a lot of
// points expire, which weekday or date is it in the store. Storage stays UTC.

#include <cstdint>
#include <optional>
#include <string>

namespace storecrm::loyalty {

// The first second after the points earned at `earned_at` stop counting, under `policy`:
// "end_of_next_year" (31 Dec of the following year, end of day, store time), "end_of_year",
// "days:N" (end of the Nth local day after earning), "never" (nullopt).
std::optional<int64_t> PointsExpiry(const std::string& policy, int64_t earned_at, const std::string& timezone);

// 1 = Monday ... 7 = Sunday, in the store's time zone.
int LocalWeekday(int64_t at, const std::string& timezone);
// "YYYY-MM-DD" in the store's time zone.
std::string LocalDate(int64_t at, const std::string& timezone);

// 0–23 in the given time zone.
int LocalHour(int64_t at, const std::string& timezone);

// True when `policy` is one PointsExpiry understands.
bool IsExpiryPolicy(const std::string& policy);

}  // namespace storecrm::loyalty
