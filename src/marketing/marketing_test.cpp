// The pure rules of marketing, on cases worked out by hand: the rule language, control groups,
// templates, quiet hours, uplift, value groups, signatures.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "marketing/campaign_rules.hpp"
#include "marketing/channels.hpp"
#include "marketing/member_values.hpp"
#include "marketing/segment_rules.hpp"

namespace storecrm::marketing {
namespace {

using nlohmann::json;

TEST(SegmentRules, ParsesNestedGroupsAndFillsDefaults) {
    auto r = ParseRules(json::parse(R"({"match":"any","rules":[
        {"field":"spend","op":"gte","value":500000},
        {"match":"none","rules":[{"field":"tag","op":"all","value":[3,4]}]}]})"));
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->match, "any");
    ASSERT_EQ(r->conditions.size(), 1u);
    EXPECT_EQ(r->conditions[0].days, 365) << "spend's default window";
    EXPECT_EQ(r->conditions[0].low, 500000);
    EXPECT_EQ(r->conditions[0].high, INT64_MAX);
    ASSERT_EQ(r->groups.size(), 1u);
    EXPECT_EQ(r->groups[0].match, "none");
    EXPECT_EQ(r->groups[0].conditions[0].ids, (std::vector<int64_t>{3, 4}));
    // Back to JSON and parsed again: the same tree.
    auto again = ParseRules(RulesJson(*r));
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(RulesJson(*again), RulesJson(*r));
}

TEST(SegmentRules, ReportsEveryProblemByItsPlace) {
    auto r = ParseRules(json::parse(R"({"rules":[
        {"field":"gender","value":["x"]},
        {"field":"age","op":"in","value":3},
        {"match":"all","rules":[{"field":"age","op":"between","value":[40,20]}]},
        {"field":"gender","value":["male"],"days":3},
        {"field":"wat","value":1}]})"));
    ASSERT_FALSE(r.ok());
    std::map<std::string, std::string> by_field;
    for (const auto& f : r.error().fields) by_field[f.field] = f.message.key;
    EXPECT_EQ(by_field["rules.rules[0].value"], "segment.unknown_code");
    EXPECT_EQ(by_field["rules.rules[1].op"], "segment.bad_op");
    EXPECT_EQ(by_field["rules.rules[2].rules[0].value"], "segment.between_order");
    EXPECT_EQ(by_field["rules.rules[3].days"], "segment.days_not_allowed");
    EXPECT_EQ(by_field["rules.rules[4].field"], "segment.unknown_field");
}

TEST(SegmentRules, LimitsDepth) {
    json g = {{"rules", json::array()}};
    for (int i = 0; i < 6; ++i) g = {{"match", "all"}, {"rules", json::array({g})}};
    auto r = ParseRules(g);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().fields[0].message.key, "segment.too_deep");
}

TEST(ControlGroup, StableAndNearTheShareAsked) {
    int held = 0;
    for (int64_t m = 1; m <= 20000; ++m) {
        const bool in = InControlGroup(7, m, 10);
        EXPECT_EQ(in, InControlGroup(7, m, 10));
        held += in ? 1 : 0;
    }
    EXPECT_NEAR(held, 2000, 150);  // 10 % ± 3.5 standard deviations
    // Another campaign draws another group.
    int both = 0;
    for (int64_t m = 1; m <= 20000; ++m) both += InControlGroup(7, m, 10) && InControlGroup(8, m, 10) ? 1 : 0;
    EXPECT_NEAR(both, 200, 60);
    EXPECT_FALSE(InControlGroup(7, 1, 0));
}

TEST(Templates, FillsKnownVariablesAndNamesUnknownOnes) {
    EXPECT_EQ(RenderTemplate("{name}，您的券 {coupon_code} {expiry} 到期 {x}", {{"name", "王芳"}, {"coupon_code", "AB12"}, {"expiry", "2026-12-31"}}),
              "王芳，您的券 AB12 2026-12-31 到期 {x}");
    EXPECT_EQ(UnknownPlaceholders("{name} {nam} {points} {0} {a b}"), (std::vector<std::string>{"nam", "0"}));
    EXPECT_EQ(RenderTemplate("no braces", {}), "no braces");
}

TEST(QuietHours, HoldsUntilTheyEndAcrossMidnight) {
    const int64_t day = 1'000'000 * 86400LL;  // a local midnight
    const int q21 = ParseClock("21:00"), q09 = ParseClock("09:00");
    EXPECT_EQ(ParseClock("24:00"), -1);
    // 22:30 → 09:00 next day; 07:00 → 09:00 today; 12:00 → now.
    EXPECT_EQ(QuietHoursRelease(day + 22 * 3600 + 1800, day, q21, q09), day + 86400 + 9 * 3600);
    EXPECT_EQ(QuietHoursRelease(day + 7 * 3600, day, q21, q09), day + 9 * 3600);
    EXPECT_EQ(QuietHoursRelease(day + 12 * 3600, day, q21, q09), day + 12 * 3600);
    // A daytime quiet window, and none at all.
    EXPECT_EQ(QuietHoursRelease(day + 13 * 3600, day, ParseClock("12:00"), ParseClock("14:00")), day + 14 * 3600);
    EXPECT_EQ(QuietHoursRelease(day + 3 * 3600, day, 0, 0), day + 3 * 3600);
}

TEST(Uplift, WaldAndWelchByHand) {
    // Treatment 30 of 100 bought, control 20 of 100: +10 points,
    // se = sqrt(.3·.7/100 + .2·.8/100) = sqrt(.0037) = 0.060828 → ±11.922 points.
    GroupOutcome t{100, 30, 3000, 0}, c{100, 20, 1000, 0};
    // Revenue: treatment 30 buyers × 100 fen, control 20 × 50: means 30 and 10;
    // Σx² = 30·100² = 300000 and 20·50² = 50000 → variances (300000 − 100·900)/99 = 2121.21 and
    // (50000 − 100·100)/99 = 404.04 → se = sqrt(21.2121 + 4.0404) = 5.02518.
    t.revenue_sq = 300000;
    c.revenue_sq = 50000;
    const Uplift u = MeasureUplift(t, c);
    ASSERT_TRUE(u.measurable);
    EXPECT_NEAR(u.conversion_points, 10.0, 1e-9);
    EXPECT_NEAR(u.conversion_low, 10.0 - 11.9222, 1e-3);
    EXPECT_NEAR(u.conversion_high, 10.0 + 11.9222, 1e-3);
    EXPECT_NEAR(u.revenue_per_member, 20.0, 1e-9);
    EXPECT_NEAR(u.revenue_high - u.revenue_per_member, 1.959964 * 5.02518, 1e-3);
    EXPECT_FALSE(MeasureUplift(t, GroupOutcome{}).measurable);
}

TEST(ValueGroups, LifecycleAndGroupsFromActivity) {
    const int64_t now = 2'000'000'000;
    const int64_t day = 86400;
    ValueCuts cuts;
    cuts.recency = {10, 30, 60, 120};
    cuts.frequency = {1, 2, 3, 5};
    cuts.monetary = {10000, 30000, 60000, 100000};
    cuts.lifetime_spend_p80 = 200000;
    EXPECT_EQ(ClassifyMember({}, cuts, now).lifecycle, "prospect");
    // Bought twice in the last 40 days, first 40 days ago: new; M = 3 → new potential.
    MemberActivity fresh{now - 40 * day, now - 5 * day, 2, 40000, 2, 0, 40000};
    auto v = ClassifyMember(fresh, cuts, now);
    EXPECT_EQ(v.lifecycle, "new");
    EXPECT_EQ(v.r, 5);
    EXPECT_EQ(v.f, 2);
    EXPECT_EQ(v.m, 3);
    EXPECT_EQ(v.value_group, "new_potential");
    // 200 silent days with a big lifetime spend: dormant high value; no RFM class (no purchase in 12 months).
    MemberActivity sleeper{now - 900 * day, now - 200 * day, 1, 5000, 0, 1, 300000};
    v = ClassifyMember(sleeper, cuts, now);
    EXPECT_EQ(v.lifecycle, "dormant");
    EXPECT_EQ(v.value_group, "dormant_high_value");
    // More purchases lately than before: growing; recent, frequent and big: core.
    MemberActivity regular{now - 800 * day, now - 3 * day, 9, 150000, 6, 3, 900000};
    v = ClassifyMember(regular, cuts, now);
    EXPECT_EQ(v.lifecycle, "growing");
    EXPECT_EQ(v.value_group, "core");
    EXPECT_EQ(v.rfm_class, "champions");
    MemberActivity fading{now - 800 * day, now - 100 * day, 7, 50000, 1, 6, 400000};
    EXPECT_EQ(ClassifyMember(fading, cuts, now).lifecycle, "declining");
    MemberActivity gone{now - 800 * day, now - 400 * day, 0, 0, 0, 0, 1000};
    EXPECT_EQ(ClassifyMember(gone, cuts, now).lifecycle, "lost");
    EXPECT_EQ(ClassifyMember(gone, cuts, now).rfm_class, "none");
}

TEST(Signatures, RoundTripAndRejectTamperingAndStaleness) {
    const std::string body = R"({"from":"13800000000","text":"TD"})";
    const std::string header = SignatureHeader("s3cret", 1700000000, body);
    EXPECT_TRUE(CheckSignatureHeader("s3cret", header, body, 1700000100));
    EXPECT_FALSE(CheckSignatureHeader("s3cret", header, body + " ", 1700000100));
    EXPECT_FALSE(CheckSignatureHeader("other", header, body, 1700000100));
    EXPECT_FALSE(CheckSignatureHeader("s3cret", header, body, 1700000000 + 301));
    EXPECT_FALSE(CheckSignatureHeader("s3cret", "garbage", body, 1700000000));
    // Plain HMAC-SHA256 over "<t>.<body>", as Python's hmac module computes it.
    EXPECT_EQ(SignatureHeader("Jefe", 1700000000, "what do ya want for nothing?"),
              "t=1700000000,v1=1cdd0650c8be1cb0974b1788d458b1e781206cfef59b85faafc582d2e182c57e");
}

TEST(Signatures, DuringARotationEitherSecretVerifies) {
    const std::string body = R"({"id":"evt_1"})";
    const std::string header = SignatureHeader("new", 1700000000, body, "old");
    EXPECT_EQ(header.rfind(SignatureHeader("new", 1700000000, body), 0), 0u) << "the new secret's signature comes first";
    EXPECT_TRUE(CheckSignatureHeader("new", header, body, 1700000000));
    EXPECT_TRUE(CheckSignatureHeader("old", header, body, 1700000000));
    EXPECT_FALSE(CheckSignatureHeader("other", header, body, 1700000000));
    EXPECT_FALSE(CheckSignatureHeader("new", "t=1700000000x,v1=" + header.substr(header.find("v1=") + 3), body, 1700000000));
}

}  // namespace
}  // namespace storecrm::marketing
