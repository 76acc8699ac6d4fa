#pragma once
// Deadlines counted in a store's business hours 营业时间, in the store's own time zone: a
// complaint taken at closing time is due the next morning, not overnight. Days are walked in
// local time through ICU, so a daylight-saving change moves the UTC instants correctly.

#include <cstdint>
#include <optional>
#include <string>

namespace storecrm::service {

struct BusinessHours {
    int opens_minute = 9 * 60;    // minutes after local midnight
    int closes_minute = 22 * 60;  // up to 24 * 60; opens 00:00 and closes 24:00 = always open
    std::string timezone = "Asia/Shanghai";
};

// The instant `minutes` of open time after `start` (UTC seconds); time before opening, after
// closing and overnight does not count. `minutes` of 0 gives the first open instant.
int64_t AddBusinessMinutes(int64_t start, int64_t minutes, const BusinessHours& hours);

// Local-day boundaries in `timezone`, as UTC seconds: the midnight that starts the local day
// holding `at` (+ `add_days` days), and the midnight starting a "YYYY-MM-DD" date.
int64_t LocalDayStart(int64_t at, const std::string& timezone, int add_days = 0);
std::optional<int64_t> LocalDateStart(const std::string& yyyy_mm_dd, const std::string& timezone);

}  // namespace storecrm::service
