#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "analytics/baskets.hpp"
#include "analytics/clv.hpp"
#include "analytics/forecast.hpp"
#include "analytics/reports.hpp"
#include "analytics/rfm.hpp"
#include "analytics/stats.hpp"
#include "common/clock.hpp"

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

TEST(CalendarTest, DaysMapToWeekdaysAndMonths) {
    EXPECT_EQ(WeekdayOf(0), 6);  // 2000-01-01 was a Saturday
    EXPECT_EQ(WeekdayOf(2), 1);
    EXPECT_EQ(MonthOf(0), 0);
    EXPECT_EQ(MonthOf(31), 1);   // 2000-02-01
    EXPECT_EQ(MonthOf(60), 2);   // 2000-03-01 (2000 was a leap year)
    EXPECT_EQ(MonthText(MonthOf(DayOf(1796000000))), "2026-11");
    EXPECT_EQ(MonthText(311), "2025-12");
}

TEST(SalesReportTest, AddsUpByHand) {
    SalesColumns c;
    // Day 8 (a Sunday) at 10:00: member 1 buys two lines; a walk-in buys one; member 1 comes back
    // on day 9 (Monday) and later returns one item; member 2 buys once in store 2.
    c.AppendSale(1, DayStart(8) + 10 * 3600, 1, false);
    c.AppendLine(100, 3000, 1);
    c.AppendLine(101, 1000, 2);
    c.AppendSale(0, DayStart(8) + 10 * 3600, 1, false);
    c.AppendLine(100, 2000, 1);
    c.AppendSale(1, DayStart(9) + 15 * 3600, 1, false);
    c.AppendLine(100, 3000, 1);
    c.AppendSale(1, DayStart(9) + 16 * 3600, 1, true);
    c.AppendLine(100, -3000, -1);
    c.AppendSale(2, DayStart(9) + 11 * 3600, 2, false);
    c.AppendLine(101, 500, 1);
    auto r = ComputeSales(c, {.from_day = 8, .to_day = 9});
    EXPECT_EQ(r.amount, 6500);          // 4000 + 2000 + 3000 - 3000 + 500
    EXPECT_EQ(r.sales_amount, 9500);    // receipts only
    EXPECT_EQ(r.transactions, 4);
    EXPECT_EQ(r.items, 6);
    EXPECT_EQ(r.member_transactions, 3);
    EXPECT_EQ(r.members_buying, 2);
    EXPECT_EQ(r.members_repeat, 1);
    EXPECT_EQ(r.day_amount, (std::vector<int64_t>{6000, 500}));
    EXPECT_EQ(r.day_transactions, (std::vector<int64_t>{2, 2}));
    EXPECT_EQ(r.heat_transactions[6][10], 2);  // Sunday 10:00
    EXPECT_EQ(r.heat_amount[0][15], 3000);     // Monday 15:00
    EXPECT_EQ(r.product_amount_quantity[100], (std::pair<int64_t, int64_t>{5000, 2}));
    EXPECT_EQ(r.stores[1].members_buying, 1);
    EXPECT_EQ(r.stores[2].amount, 500);
    auto store2 = ComputeSales(c, {.from_day = 8, .to_day = 9, .stores = {2}});
    EXPECT_EQ(store2.amount, 500);
    EXPECT_EQ(store2.members_buying, 1);
}

TEST(CohortTest, RetentionByFirstPurchaseMonth) {
    SalesColumns c;
    const uint16_t jan = 9497, feb = jan + 31, mar = feb + 28;  // 2026-01-01, 02-01, 03-01
    auto buy = [&](uint32_t m, uint16_t day) {
        c.AppendSale(m, DayStart(day) + 3600 * 12, 1, false);
        c.AppendLine(1, 100, 1);
    };
    ASSERT_EQ(MonthText(MonthOf(jan)), "2026-01");
    ASSERT_EQ(MonthText(MonthOf(mar)), "2026-03");
    buy(1, jan + 3);
    buy(1, feb + 3);
    buy(2, jan + 10);
    buy(2, mar + 1);
    buy(3, feb + 5);
    buy(3, feb + 9);
    auto cohorts = ComputeCohorts(c, MonthOf(jan), MonthOf(mar), {});
    ASSERT_EQ(cohorts.size(), 3u);
    EXPECT_EQ(cohorts[0].members, 2);
    EXPECT_EQ(cohorts[0].active, (std::vector<int64_t>{2, 1, 1}));  // Jan: both; Feb: member 1; Mar: member 2
    EXPECT_EQ(cohorts[1].members, 1);
    EXPECT_EQ(cohorts[1].active, (std::vector<int64_t>{1, 0}));
    EXPECT_EQ(cohorts[2].members, 0);
    EXPECT_EQ(MembersBuying(c, {.from_day = feb, .to_day = static_cast<uint16_t>(mar - 1)}), (std::vector<uint32_t>{1, 3}));
}

TEST(BasketTest, RulesWithSupportConfidenceAndLiftByHand) {
    SalesColumns c;
    // Five baskets of products 1 (A), 2 (B), 3 (C): AB, ABC, AC, B, ABC.
    for (const auto& basket : std::vector<std::vector<uint32_t>>{{1, 2}, {1, 2, 3}, {1, 3}, {2}, {1, 2, 3, 3}}) {
        c.AppendSale(0, DayStart(50) + 3600, 1, false);
        for (uint32_t p : basket) c.AppendLine(p, 100, 1);
    }
    BasketQuery q{.period = {.from_day = 0, .to_day = 100}, .min_support = 0.4, .min_confidence = 0, .min_lift = 1.0,
                  .max_length = 3};
    auto r = MineBaskets(c, q);
    EXPECT_EQ(r.baskets, 5);
    EXPECT_EQ(r.frequent_items, 3);
    ASSERT_EQ(r.rules.size(), 4u);
    // A→C: 3 of the 4 A-baskets hold C (0.75); C is in 3 of 5 baskets, so lift 0.75 / 0.6 = 1.25.
    EXPECT_EQ(r.rules[0].antecedent, (std::vector<uint32_t>{1}));
    EXPECT_EQ(r.rules[0].consequent, 3u);
    EXPECT_EQ(r.rules[0].count, 3);
    EXPECT_DOUBLE_EQ(r.rules[0].support, 0.6);
    EXPECT_DOUBLE_EQ(r.rules[0].confidence, 0.75);
    EXPECT_DOUBLE_EQ(r.rules[0].lift, 1.25);
    EXPECT_EQ(r.rules[1].antecedent, (std::vector<uint32_t>{3}));  // C→A: confidence 1, lift 1.25
    EXPECT_DOUBLE_EQ(r.rules[1].confidence, 1.0);
    EXPECT_EQ(r.rules[2].antecedent, (std::vector<uint32_t>{2, 3}));  // BC→A, 2 baskets
    EXPECT_EQ(r.rules[2].consequent, 1u);
    EXPECT_DOUBLE_EQ(r.rules[2].lift, 1.25);
    EXPECT_EQ(r.rules[3].antecedent, (std::vector<uint32_t>{1, 2}));  // AB→C: (2/3) / 0.6
    EXPECT_NEAR(r.rules[3].lift, 10.0 / 9.0, 1e-12);
    // Pairs only, and a higher support: AB, AC (3 baskets) remain; BC (2) does not.
    auto pairs = MineBaskets(c, {.period = q.period, .min_support = 0.6, .min_confidence = 0, .min_lift = 0, .max_length = 2});
    EXPECT_EQ(pairs.rules.size(), 4u);  // A→B, B→A, A→C, C→A
    // By category: products 1 and 2 are one category (7), 3 another (8).
    std::vector<uint32_t> category_of = {0, 7, 7, 8};
    auto cats = MineBaskets(c, {.period = q.period, .min_support = 0.1, .min_confidence = 0, .min_lift = 0,
                                .max_length = 2, .item_of = &category_of});
    EXPECT_EQ(cats.frequent_items, 2);
    ASSERT_EQ(cats.rules.size(), 2u);  // 7→8 and 8→7, in 3 baskets
    EXPECT_EQ(cats.rules[0].count, 3);
}

TEST(StatsTest, PearsonAndSpearmanByHand) {
    const std::vector<double> x = {1, 2, 3, 4, 5}, y = {2, 4, 5, 4, 5};
    // sxy = 6, sxx = 10, syy = 6 → 6 / √60.
    EXPECT_NEAR(*Pearson(x, y), 6 / std::sqrt(60.0), 1e-12);
    // Ranks of y with ties averaged: 1, 2.5, 4.5, 2.5, 4.5 → 7 / √90.
    EXPECT_EQ(Ranks(y), (std::vector<double>{1, 2.5, 4.5, 2.5, 4.5}));
    EXPECT_NEAR(*Spearman(x, y), 7 / std::sqrt(90.0), 1e-12);
    EXPECT_NEAR(*Pearson(x, {10, 8, 6, 4, 2}), -1.0, 1e-12);
    // A monotone but curved relation: Spearman sees it whole, Pearson less so.
    const std::vector<double> curved = {1, 8, 27, 64, 125};
    EXPECT_NEAR(*Spearman(x, curved), 1.0, 1e-12);
    EXPECT_LT(*Pearson(x, curved), 0.99);
    EXPECT_FALSE(Pearson(x, {3, 3, 3, 3, 3}).has_value());
    EXPECT_FALSE(Pearson({1, 2}, {1, 2}).has_value());
}

TEST(StatsTest, KMeansFindsTwoBlobsAndSilhouettePrefersTwo) {
    std::vector<double> points;
    std::mt19937_64 rng(3);
    std::normal_distribution<double> noise(0, 0.3);
    for (int i = 0; i < 200; ++i) {
        const double cx = i < 100 ? 0 : 10;
        points.push_back(cx + noise(rng));
        points.push_back(cx + noise(rng));
    }
    auto two = RunKMeans(points, 2, 2, 1);
    for (int i = 1; i < 100; ++i) EXPECT_EQ(two.assignment[i], two.assignment[0]);
    for (int i = 101; i < 200; ++i) EXPECT_EQ(two.assignment[i], two.assignment[100]);
    EXPECT_NE(two.assignment[0], two.assignment[100]);
    const double s2 = Silhouette(points, 2, two.assignment, 2);
    auto three = RunKMeans(points, 2, 3, 1);
    const double s3 = Silhouette(points, 2, three.assignment, 3);
    EXPECT_GT(s2, 0.9);
    EXPECT_GT(s2, s3);
    std::vector<double> copy = {1, 10, 3, 30};
    Standardise(copy, 2);
    EXPECT_EQ(copy, (std::vector<double>{-1, -1, 1, 1}));
}

TEST(ClvTest, BgNbdLikelihoodAndAliveProbabilityByHand) {
    const BgNbd unit{1, 1, 1, 1};
    // x = 0, T = 1: only the "still alive, no purchase" term: -(r + x) ln(α + T) = -ln 2.
    EXPECT_NEAR(BgNbdLogLikelihood(unit, {0, 0, 1}), -std::log(2.0), 1e-12);
    // x = 1, t_x = 0.5, T = 1: -ln 2 + ln(2^-2 + 1.5^-2).
    EXPECT_NEAR(BgNbdLogLikelihood(unit, {1, 0.5, 1}), -std::log(2.0) + std::log(0.25 + 1 / 2.25), 1e-12);
    EXPECT_NEAR(ProbabilityAlive(unit, {1, 0.5, 1}), 1 / (1 + 16.0 / 9.0), 1e-12);
    EXPECT_DOUBLE_EQ(ProbabilityAlive(unit, {0, 0, 5}), 1.0);
    EXPECT_NEAR(Hyp2F1(1, 1, 2, 0.5), -std::log(0.5) / 0.5, 1e-10);
}

TEST(ClvTest, FitRecoversTheParametersThatMadeTheData) {
    // Simulate the BG/NBD story for 4,000 customers over 52 weeks with known parameters.
    const BgNbd truth{0.5, 6.0, 1.2, 3.0};
    std::mt19937_64 rng(11);
    std::vector<Rft> members;
    std::vector<Spend> spends;
    double holdout_actual = 0;  // purchases in the 26 weeks after the 52 observed
    for (int i = 0; i < 4000; ++i) {
        const double lambda = std::gamma_distribution<double>(truth.r, 1 / truth.alpha)(rng);
        const double x1 = std::gamma_distribution<double>(truth.a, 1)(rng), x2 = std::gamma_distribution<double>(truth.b, 1)(rng);
        const double p = x1 / (x1 + x2);
        const double T = 52;
        double t = 0, last = 0;
        int repeat = 0;
        while (true) {
            t += std::exponential_distribution<double>(std::max(lambda, 1e-9))(rng);
            if (t > T + 26) break;
            if (t > T) {
                holdout_actual += 1;
            } else {
                ++repeat;
                last = t;
            }
            if (std::uniform_real_distribution<double>(0, 1)(rng) < p) break;  // dies after this purchase
        }
        members.push_back({static_cast<double>(repeat), last, T});
        if (repeat > 0) {
            // Spend per purchase: Gamma(p=6, ν) with ν ~ Gamma(q=4, γ=150): mean 6ν.
            const double nu = std::gamma_distribution<double>(4, 1.0 / 150)(rng);
            double sum = 0;
            for (int k = 0; k < repeat; ++k) sum += std::gamma_distribution<double>(6, 1 / nu)(rng);
            spends.push_back({static_cast<double>(repeat), sum / repeat});
        }
    }
    const BgNbd fit = FitBgNbd(members);
    EXPECT_NEAR(fit.r, truth.r, 0.15);
    EXPECT_NEAR(fit.alpha / truth.alpha, 1.0, 0.3);
    EXPECT_NEAR(fit.a / truth.a, 1.0, 0.5);
    EXPECT_NEAR(fit.b / truth.b, 1.0, 0.5);
    // The fitted parameters explain the data at least as well as the true ones.
    double at_truth = 0;
    for (const auto& m : members) at_truth += BgNbdLogLikelihood(truth, m);
    EXPECT_GE(fit.log_likelihood, at_truth - 1e-6);
    // A frequent recent buyer is likelier alive and expected to buy more than one gone quiet.
    EXPECT_GT(ProbabilityAlive(fit, {10, 50, 52}), ProbabilityAlive(fit, {10, 5, 52}));
    EXPECT_GT(ExpectedPurchases(fit, {10, 50, 52}, 13), ExpectedPurchases(fit, {10, 5, 52}, 13));
    // The hold-out check: what the fitted model expects in the next 26 weeks, summed over the
    // customers, against what the simulation did.
    double predicted = 0;
    for (const auto& m : members) predicted += ExpectedPurchases(fit, m, 26);
    EXPECT_NEAR(predicted / holdout_actual, 1.0, 0.12);
    // a below 1 is a valid fit too; the expectation stays positive and finite.
    const BgNbd low_a{0.8, 8.0, 0.3, 5.0};
    EXPECT_GT(ExpectedPurchases(low_a, {3, 40, 52}, 13), 0);
    EXPECT_TRUE(std::isfinite(ExpectedPurchases(low_a, {3, 40, 52}, 13)));

    const GammaGamma gg = FitGammaGamma(spends);
    // Mean spend per purchase in the population: p γ / (q - 1) = 6 × 150 / 3 = 300.
    EXPECT_NEAR(gg.p * gg.gamma / (gg.q - 1), 300, 45);
    // A member's expected value shrinks their own average towards the population's.
    const double own = 900, expected = ExpectedAverageValue(gg, {1, own});
    EXPECT_LT(expected, own);
    EXPECT_GT(expected, 300);
}

TEST(SequenceTest, ThenWithinTheWindowByHand) {
    SalesColumns c;
    auto buy = [&](uint32_t m, uint16_t day, uint32_t item) {
        c.AppendSale(m, DayStart(day) + 3600 * 12, 1, false);
        c.AppendLine(item, 100, 1);
    };
    buy(1, 10, 1), buy(1, 40, 2);               // 1 then 2 within 90 days
    buy(2, 10, 1), buy(2, 200, 2);              // too far apart
    buy(3, 5, 1), buy(3, 20, 2), buy(3, 30, 3);  // 1, 2, 3
    buy(4, 50, 2);
    auto r = MineSequences(c, {.period = {.from_day = 0, .to_day = 300}, .within_days = 90, .min_support = 0.2,
                               .min_confidence = 0.2});
    EXPECT_EQ(r.members, 4);
    ASSERT_EQ(r.rules.size(), 3u);
    // 1 → 3: one of four members (0.25), one of the three who bought 1 (1/3), 3 bought by a quarter: lift 4/3.
    EXPECT_EQ(std::make_pair(r.rules[0].first, r.rules[0].then), std::make_pair(1u, 3u));
    EXPECT_NEAR(r.rules[0].lift, 4.0 / 3.0, 1e-12);
    EXPECT_EQ(std::make_pair(r.rules[1].first, r.rules[1].then), std::make_pair(2u, 3u));
    EXPECT_DOUBLE_EQ(r.rules[1].confidence, 0.25);
    EXPECT_EQ(std::make_pair(r.rules[2].first, r.rules[2].then), std::make_pair(1u, 2u));
    EXPECT_EQ(r.rules[2].members, 2);  // members 1 and 3; member 2's second purchase came too late
    EXPECT_NEAR(r.rules[2].confidence, 2.0 / 3.0, 1e-12);
}

TEST(SequenceTest, NextBestItemsFollowTheStrongestRules) {
    const std::vector<Rule> rules = {{{1}, 3, 3, 0.6, 0.75, 1.25}, {{1}, 2, 3, 0.6, 0.75, 0.9375}, {{2, 3}, 1, 2, 0.4, 1, 1.25}};
    auto s = NextBestItems(rules, {1}, 5);
    ASSERT_EQ(s.size(), 2u);
    EXPECT_EQ(s[0].item, 3u);
    EXPECT_DOUBLE_EQ(s[0].score, 0.75 * 1.25);
    EXPECT_EQ(s[0].because, 1u);
    EXPECT_EQ(s[1].item, 2u);
    EXPECT_TRUE(NextBestItems(rules, {1, 2, 3}, 5).empty());  // nothing left to suggest
    EXPECT_EQ(NextBestItems(rules, {2, 3}, 5).front().item, 1u);
}

TEST(ForecastTest, WeekdaysLevelAndHolidaysFromTheHistory) {
    auto day_of = [](const char* date) { return DayOf(*ParseIsoDate(date) + 12 * 3600); };
    EXPECT_TRUE(IsPublicHoliday(day_of("2026-10-01")));
    EXPECT_TRUE(IsPublicHoliday(day_of("2026-02-17")));  // the Spring Festival
    EXPECT_FALSE(IsPublicHoliday(day_of("2026-10-08")));
    // A year of one category in one store: 10 a weekday, 20 a Saturday or Sunday, and three times
    // a normal day on public holidays.
    SalesColumns c;
    const uint16_t today = day_of("2026-09-20");
    for (uint16_t d = today - 363; d <= today; ++d) {
        const int w = WeekdayOf(d);
        int qty = w >= 6 ? 20 : 10;
        if (IsPublicHoliday(d)) qty *= 3;
        c.AppendSale(0, DayStart(d) + 12 * 3600, 1, false);
        c.AppendLine(5, qty * 100, static_cast<int16_t>(qty));
    }
    std::vector<uint32_t> category_of(6, 0);
    category_of[5] = 9;
    auto f = ForecastDemand(c, {.today = today, .horizon_days = 28, .category_of = &category_of});
    ASSERT_EQ(f.size(), 1u);
    EXPECT_EQ(f[0].item, 9u);
    EXPECT_NEAR(f[0].weekday_share[5], 20.0 / 90.0, 1e-9);  // Saturday: 20 of a 90-unit week
    EXPECT_NEAR(f[0].holiday_factor, 3.0, 0.01);
    // The recent 8 weeks (no holiday in them) average 90 a week.
    EXPECT_NEAR(f[0].weekly_level, 90.0, 1e-9);
    // 2026-09-22 is a Tuesday: 10; 2026-10-01 a Thursday on National Day: 30.
    EXPECT_NEAR(f[0].daily[day_of("2026-09-22") - today - 1], 10.0, 1e-9);
    EXPECT_NEAR(f[0].daily[day_of("2026-10-01") - today - 1], 30.0, 0.1);
}

}  // namespace
}  // namespace storecrm::analytics
