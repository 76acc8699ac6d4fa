#pragma once
// Members under 14 (PIPL art. 28, 31): they join only with a guardian's consent and are never
// in marketing or profiling (segments, value groups, campaigns).

#include <cstdint>
#include <string>

namespace storecrm::members {

inline constexpr int kMinorAge = 14;

// Whole years on the China date of `now`; -1 when `birthday` (YYYY-MM-DD) is empty.
int AgeOn(const std::string& birthday, int64_t now);

// From the year and month kept in clear (the day is encrypted): in the birthday month the
// birthday is taken as not yet reached, so a doubtful case counts as a minor.
bool IsMinor(int birth_year, int birth_month, int64_t now);

}  // namespace storecrm::members
