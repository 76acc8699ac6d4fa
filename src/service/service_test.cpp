#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

#include "common/clock.hpp"
#include "security/crypto.hpp"
#include "service/business_hours.hpp"
#include "service/purchase_cycle.hpp"
#include "service/reminders.hpp"
#include "storage/migrations.hpp"
#include "storage/sqlite_database.hpp"

namespace storecrm::service {
namespace {

constexpr int64_t kMinute = 60, kHour = 3600, kDay = 86400;

int64_t At(const char* iso) { return *ParseIsoDateTime(iso); }

// --- SLA deadlines in business hours ---------------------------------------------------------

TEST(BusinessHoursTest, CountsOnlyOpenTimeAndCarriesOverToTheNextMorning) {
    const BusinessHours shanghai{9 * 60, 22 * 60, "Asia/Shanghai"};
    // 21:30 local (13:30Z): 30 minutes today, the other 30 from 09:00 tomorrow.
    EXPECT_EQ(AddBusinessMinutes(At("2026-11-28T13:30:00Z"), 60, shanghai), At("2026-11-29T01:30:00Z"));
    // 06:52 local, before opening: the hour starts at 09:00.
    EXPECT_EQ(AddBusinessMinutes(At("2026-11-27T22:52:00Z"), 60, shanghai), At("2026-11-28T02:00:00Z"));
    // Within the day it is plain addition.
    EXPECT_EQ(AddBusinessMinutes(At("2026-11-28T02:00:00Z"), 15, shanghai), At("2026-11-28T02:15:00Z"));
    // 48 business hours from Monday 09:00 with 13-hour days: three days (39 h), then 9 h → Thursday 18:00.
    EXPECT_EQ(AddBusinessMinutes(At("2026-11-23T01:00:00Z"), 48 * 60, shanghai), At("2026-11-26T10:00:00Z"));
}

TEST(BusinessHoursTest, TheSameWallClockIsADifferentInstantInEachZone) {
    const BusinessHours urumqi{9 * 60, 22 * 60, "Asia/Urumqi"};  // UTC+6
    const BusinessHours berlin{9 * 60, 22 * 60, "Europe/Berlin"};  // UTC+1 in November
    // Created at 00:00Z: 06:00 in Urumqi (closed until 09:00 = 03:00Z), 01:00 in Berlin (09:00 = 08:00Z).
    EXPECT_EQ(AddBusinessMinutes(At("2026-11-28T00:00:00Z"), 60, urumqi), At("2026-11-28T04:00:00Z"));
    EXPECT_EQ(AddBusinessMinutes(At("2026-11-28T00:00:00Z"), 60, berlin), At("2026-11-28T09:00:00Z"));
}

TEST(BusinessHoursTest, FollowsDaylightSavingChanges) {
    const BusinessHours new_york{9 * 60, 22 * 60, "America/New_York"};
    // Sat 2026-03-07 21:30 EST (02:30Z); clocks spring forward that night, so Sunday's 09:00
    // opening is 13:00Z (EDT), not 14:00Z.
    EXPECT_EQ(AddBusinessMinutes(At("2026-03-08T02:30:00Z"), 60, new_york), At("2026-03-08T13:30:00Z"));
    // Sat 2026-10-31 21:30 EDT (01:30Z); clocks fall back, Sunday opens at 14:00Z (EST).
    EXPECT_EQ(AddBusinessMinutes(At("2026-11-01T01:30:00Z"), 60, new_york), At("2026-11-01T14:30:00Z"));
}

TEST(BusinessHoursTest, AlwaysOpenStoresAndLocalDays) {
    const BusinessHours always{0, 24 * 60, "Asia/Shanghai"};
    EXPECT_EQ(AddBusinessMinutes(At("2026-11-28T20:00:00Z"), 15, always), At("2026-11-28T20:15:00Z"));
    EXPECT_EQ(LocalDayStart(At("2026-11-28T20:00:00Z"), "Asia/Shanghai"), At("2026-11-28T16:00:00Z"));
    EXPECT_EQ(LocalDayStart(At("2026-11-28T20:00:00Z"), "Asia/Shanghai", 1), At("2026-11-29T16:00:00Z"));
    EXPECT_EQ(LocalDateStart("2026-03-08", "America/New_York"), At("2026-03-08T05:00:00Z"));
    EXPECT_EQ(ParseClock("24:00"), 24 * 60);
    EXPECT_EQ(ParseClock("24:01"), std::nullopt);
    EXPECT_EQ(ParseClock("9:00"), std::nullopt);
    EXPECT_EQ(FormatClock(9 * 60 + 5), "09:05");
}

// --- Purchase cycles ---------------------------------------------------------------------------

TEST(PurchaseCycleTest, NeedsThreeShoppingDays) {
    const int64_t d0 = At("2026-01-01T04:00:00Z");
    EXPECT_FALSE(EstimatePurchaseCycle({d0, d0 + 10 * kDay}).has_value());
    // Two purchases on one day are one shopping trip.
    EXPECT_FALSE(EstimatePurchaseCycle({d0, d0 + kHour, d0 + 10 * kDay}).has_value());
    EXPECT_TRUE(EstimatePurchaseCycle({d0, d0 + 10 * kDay, d0 + 20 * kDay}).has_value());
}

TEST(PurchaseCycleTest, TakesTheMedianGapAndPredictsTheNextVisit) {
    const int64_t d0 = At("2026-01-01T04:00:00Z");
    // Gaps 10, 30, 20 days (unordered input): median 20.
    auto c = EstimatePurchaseCycle({d0 + 60 * kDay, d0, d0 + 10 * kDay, d0 + 40 * kDay});
    ASSERT_TRUE(c.has_value());
    EXPECT_DOUBLE_EQ(c->median_days, 20.0);
    EXPECT_EQ(c->purchases, 4u);
    EXPECT_EQ(c->last_purchase_at, d0 + 60 * kDay);
    EXPECT_EQ(c->next_due_at, d0 + 80 * kDay);
    // An even number of gaps averages the middle two: 10 and 20 → 15.
    auto even = EstimatePurchaseCycle({d0, d0 + 10 * kDay, d0 + 30 * kDay});
    ASSERT_TRUE(even.has_value());
    EXPECT_DOUBLE_EQ(even->median_days, 15.0);
    // One odd long gap does not move the median much: 7, 7, 7, 90 → 7.
    auto steady = EstimatePurchaseCycle({d0, d0 + 7 * kDay, d0 + 14 * kDay, d0 + 21 * kDay, d0 + 111 * kDay});
    EXPECT_DOUBLE_EQ(steady->median_days, 7.0);
}

// --- Reminder idempotency on a real database -----------------------------------------------------

class ReminderTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() / ("storecrm-service-" + std::to_string(::getpid()));
        std::filesystem::remove_all(dir_);
        std::filesystem::create_directories(dir_);
        auto db = storage::OpenSqliteDatabase((dir_ / "r.db").string(), 3);
        ASSERT_TRUE(db.ok());
        db_ = std::move(db).value();
        ASSERT_TRUE(storage::Migrate(*db_).ok());
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    void Exec(const std::string& sql, const storage::Params& params = {}) {
        auto tx = db_->Begin(storage::TxMode::kWrite);
        ASSERT_TRUE(tx.ok());
        ASSERT_TRUE((*tx)->Exec(sql, params).ok()) << sql;
        ASSERT_TRUE((*tx)->Commit().ok());
    }
    int64_t Count(const std::string& sql) {
        auto tx = db_->Begin(storage::TxMode::kRead);
        auto row = (*tx)->QueryOne(sql);
        return (*row)->Int(0);
    }

    security::FieldVault vault_{[] {
        std::array<unsigned char, 32> key{};
        key.fill(7);
        return key;
    }()};
    std::filesystem::path dir_;
    std::unique_ptr<storage::Database> db_;
};

TEST_F(ReminderTest, EachOccasionFiresOnceHoweverOftenTheJobRuns) {
    const int64_t now = At("2026-11-28T02:00:00Z");  // 10:00 in Shanghai
    Exec("INSERT INTO stores (id, code, name, type, timezone, created_at, updated_at) VALUES "
         "(1, 'S1', 'S1', 'direct', 'Asia/Shanghai', 0, 0)");
    // Birthday three days ahead (the default), bought recently; and a member silent for a year.
    Exec("INSERT INTO members (id, member_no, name, home_store_id, birth_month, birthday_enc, last_purchase_at, "
         "created_at, updated_at) VALUES (1, 'M1', '生日', 1, 12, ?, ?, ?, ?)",
         {storage::Blob{vault_.Encrypt("1990-12-01")}, now - 5 * kDay, now - 400 * kDay, now});
    Exec("INSERT INTO members (id, member_no, name, home_store_id, last_purchase_at, created_at, updated_at) VALUES "
         "(2, 'M2', '沉睡', 1, ?, ?, ?)",
         {now - 62 * kDay, now - 365 * kDay, now});
    // Silent for a year: dormant long ago, not newly so — no reminder now.
    Exec("INSERT INTO members (id, member_no, name, home_store_id, created_at, updated_at) VALUES "
         "(3, 'M3', '早已沉睡', 1, ?, ?)",
         {now - 365 * kDay, now});
    auto first = RunReminders(*db_, vault_, now);
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(first->birthday, 1);
    EXPECT_EQ(first->dormancy, 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM tasks"), 2);
    // Again an hour later, as the hourly job would: nothing new.
    auto second = RunReminders(*db_, vault_, now + kHour);
    ASSERT_TRUE(second.ok());
    EXPECT_EQ(second->Total(), 0);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM tasks"), 2);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM reminders WHERE task_id IS NOT NULL"), 2);
    // Next year's birthday is a new occasion.
    auto next_year = RunReminders(*db_, vault_, now + 365 * kDay);
    ASSERT_TRUE(next_year.ok());
    EXPECT_EQ(next_year->birthday, 1);
    EXPECT_EQ(next_year->dormancy, 0);  // nobody newly crossed the threshold
    EXPECT_EQ(Count("SELECT COUNT(*) FROM reminders WHERE kind = 'dormancy' AND member_id = 2"), 1);
    EXPECT_EQ(Count("SELECT COUNT(*) FROM reminders WHERE member_id = 3"), 0);
}

}  // namespace
}  // namespace storecrm::service
