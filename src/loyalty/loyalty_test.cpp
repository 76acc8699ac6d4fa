#include <gtest/gtest.h>

#include "loyalty/local_time.hpp"

namespace storecrm::loyalty {
namespace {

// 2026-05-03 10:00 in Shanghai is 02:00 UTC.
constexpr int64_t kMay3Shanghai10h = 1777773600;

TEST(LocalTimeTest, PointsExpireAtTheEndOfTheNextYearInStoreTime) {
    // Valid through 2027-12-31 in Shanghai: the first second after is 2027-12-31T16:00:00Z.
    EXPECT_EQ(PointsExpiry("end_of_next_year", kMay3Shanghai10h, "Asia/Shanghai"), 1830268800);
    EXPECT_EQ(PointsExpiry("end_of_year", kMay3Shanghai10h, "Asia/Shanghai"), 1798732800);
    // A store in Urumqi (UTC+6) ends the same local day two hours later in UTC.
    EXPECT_EQ(PointsExpiry("end_of_year", kMay3Shanghai10h, "Asia/Urumqi"), 1798732800 + 2 * 3600);
    EXPECT_EQ(PointsExpiry("never", kMay3Shanghai10h, "Asia/Shanghai"), std::nullopt);
}

TEST(LocalTimeTest, DaysPolicyEndsAtLocalMidnight) {
    // Earned 3 May, 30 days: valid through 2 June local, so ends at 3 June 00:00 Shanghai.
    EXPECT_EQ(PointsExpiry("days:30", kMay3Shanghai10h, "Asia/Shanghai"), 1780416000);
    EXPECT_TRUE(IsExpiryPolicy("days:365"));
    EXPECT_FALSE(IsExpiryPolicy("days:0"));
    EXPECT_FALSE(IsExpiryPolicy("days:x"));
    EXPECT_FALSE(IsExpiryPolicy("sometimes"));
}

TEST(LocalTimeTest, WeekdayAndDateFollowTheStoreZone) {
    // 2026-05-03 is a Sunday; at 23:30 UTC on 2 May it is already Sunday 07:30 in Shanghai.
    EXPECT_EQ(LocalWeekday(kMay3Shanghai10h, "Asia/Shanghai"), 7);
    EXPECT_EQ(LocalDate(1777764600, "Asia/Shanghai"), "2026-05-03");
    EXPECT_EQ(LocalDate(1777764600, "UTC"), "2026-05-02");
}

}  // namespace
}  // namespace storecrm::loyalty
