#pragma once
// Time is stored as UTC. Seconds since the epoch in the database (INTEGER), ISO-8601 UTC
// strings in JSON. The clock can be offset in tests through STORECRM_CLOCK_OFFSET_SECONDS so
// time-outs (sessions, lock-out) can be exercised over HTTP without sleeping, and moved
// forward while running with AdvanceClock (test mode only).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace storecrm {

int64_t NowUnix();
int64_t NowUnixMillis();
std::string FormatIsoUtc(int64_t unix_seconds);
std::optional<int64_t> ParseIsoDate(std::string_view yyyy_mm_dd);  // midnight UTC
std::optional<int64_t> ParseIsoDateTime(std::string_view iso_utc);  // YYYY-MM-DDTHH:MM:SSZ
std::string TodayIsoDate();

// A wall-clock time of day "HH:MM" (00:00–24:00) as minutes after midnight, and back.
std::optional<int> ParseClock(const std::string& hh_mm);
std::string FormatClock(int minute_of_day);

// Moves this process's clock forward (serve --test-clock only: browser and API tests make
// deadlines pass without sleeping).
void AdvanceClock(int64_t seconds);

}  // namespace storecrm
