#pragma once
// Time is stored as UTC. Seconds since the epoch in the database (INTEGER), ISO-8601 UTC
// strings in JSON. The clock can be offset in tests through STORECRM_CLOCK_OFFSET_SECONDS so
// time-outs (sessions, lock-out) can be exercised over HTTP without sleeping.

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

}  // namespace storecrm
