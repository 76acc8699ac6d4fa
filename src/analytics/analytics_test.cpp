#include <gtest/gtest.h>

#include "analytics/rfm.hpp"

namespace storecrm::analytics {
namespace {

// A receipt of one line on `day` (days since 2000-01-01, China time).
void Buy(SalesColumns& c, uint32_t member, uint16_t day, int32_t amount, uint16_t store = 1, bool refund = false) {
    c.AppendSale(member, DayStart(day) + 10 * 3600, store, refund);
    c.AppendLine(7, amount, refund ? -1 : 1);
}

TEST(SalesColumnsTest, KeepsLinesWithTheirReceiptInFewBytes) {
    SalesColumns c;
    c.AppendSale(3, DayStart(100) + 15 * 3600, 2, false);
    c.AppendLine(10, 500, 1);
    c.AppendLine(11, 700, 2);
    c.AppendSale(0, DayStart(101), 1, false);
    c.AppendLine(10, 500, 1);
    EXPECT_EQ(c.sales(), 2u);
    EXPECT_EQ(c.LineEnd(0), 2u);
    EXPECT_EQ(c.LineEnd(1), 3u);
    EXPECT_EQ(c.sale_day[0], 100);
    EXPECT_EQ(c.sale_hour[0], 15);
    EXPECT_EQ(DayOf(DayStart(4000) + 86399), 4000);
    EXPECT_EQ(DayOf(DayStart(4000) + 86400), 4001);
}

// Ten members; member k bought k times, the last time k days before the end, 100 fen × k each time.
SalesColumns Ladder() {
    SalesColumns c;
    for (uint32_t m = 1; m <= 10; ++m) {
        for (uint32_t visit = 0; visit < m; ++visit) Buy(c, m, static_cast<uint16_t>(1000 - m - visit * 3), 100 * m);
    }
    return c;
}

TEST(RfmTest, ComputesRecencyFrequencyMonetaryByHand) {
    auto r = ComputeRfm(Ladder(), {.from_day = 900, .to_day = 1000});
    ASSERT_EQ(r.members.size(), 10u);
    const RfmMember& m4 = r.members[3];
    EXPECT_EQ(m4.member, 4u);
    EXPECT_EQ(m4.recency_days, 4);
    EXPECT_EQ(m4.frequency, 4u);
    EXPECT_EQ(m4.monetary, 1600);
    // Quintile cut points of 1..10 sit at the 3rd, 5th, 7th and 9th values.
    EXPECT_EQ(r.frequency_cuts, (std::array<double, 4>{3, 5, 7, 9}));
    EXPECT_EQ(r.recency_cuts, (std::array<double, 4>{3, 5, 7, 9}));
    // Member 1: most recent (r 5) but one visit (f 1) — "new"; member 10: oldest, most frequent.
    EXPECT_EQ(r.members[0].r, 5);
    EXPECT_EQ(r.members[0].f, 1);
    EXPECT_STREQ(RfmClass(r.members[0].r, r.members[0].f), "new");
    EXPECT_EQ(r.members[9].r, 1);
    EXPECT_EQ(r.members[9].f, 5);
    EXPECT_STREQ(RfmClass(r.members[9].r, r.members[9].f), "cant_lose");
    // Every member sits in one cell; the cells add up.
    uint32_t members = 0;
    int64_t revenue = 0;
    for (const auto& row : r.grid) {
        for (const auto& cell : row) {
            members += cell.members;
            revenue += cell.revenue;
        }
    }
    EXPECT_EQ(members, 10u);
    int64_t expected = 0;
    for (int m = 1; m <= 10; ++m) expected += 100 * m * m;
    EXPECT_EQ(revenue, expected);
}

TEST(RfmTest, RefundsLowerSpendButAreNoVisitAndFiltersApply) {
    SalesColumns c;
    Buy(c, 1, 500, 1000);
    Buy(c, 1, 510, -300, 1, true);  // refund of 3.00 ten days later (refund lines are negative)
    Buy(c, 2, 505, 2000, 2);        // another store
    Buy(c, 0, 505, 9999);           // not a member
    Buy(c, 3, 400, 500);            // before the period
    auto all = ComputeRfm(c, {.from_day = 450, .to_day = 520});
    ASSERT_EQ(all.members.size(), 2u);
    EXPECT_EQ(all.members[0].member, 1u);
    EXPECT_EQ(all.members[0].frequency, 1u);
    EXPECT_EQ(all.members[0].monetary, 700);
    EXPECT_EQ(all.members[0].recency_days, 20);  // the refund day is no visit
    auto store2 = ComputeRfm(c, {.from_day = 450, .to_day = 520, .stores = {2}});
    ASSERT_EQ(store2.members.size(), 1u);
    EXPECT_EQ(store2.members[0].member, 2u);
}

TEST(RfmTest, EveryCellHasOneNamedClass) {
    const auto& names = RfmClasses();
    for (uint8_t r = 1; r <= 5; ++r) {
        for (uint8_t f = 1; f <= 5; ++f) {
            EXPECT_NE(std::find(names.begin(), names.end(), RfmClass(r, f)), names.end());
        }
    }
    EXPECT_STREQ(RfmClass(5, 5), "champions");
    EXPECT_STREQ(RfmClass(1, 1), "lost");
    EXPECT_STREQ(RfmClass(3, 3), "need_attention");
    EXPECT_STREQ(RfmClass(2, 4), "at_risk");
}

}  // namespace
}  // namespace storecrm::analytics
