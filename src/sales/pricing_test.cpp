#include "sales/pricing.hpp"

#include <gtest/gtest.h>

#include <random>

namespace storecrm::sales {
namespace {

PriceLine Line(const std::string& sku, int64_t qty, int64_t price, int64_t category = 1) {
    PriceLine l;
    l.sku = sku;
    l.quantity = qty;
    l.unit_price = price;
    l.category_id = category;
    return l;
}

TEST(PricingTest, RoundsHalfUpAndAllocatesExactly) {
    EXPECT_EQ(MulDivRound(1999, 5, 100), 100);  // 99.95 -> 100
    EXPECT_EQ(MulDivRound(1989, 5, 100), 99);   // 99.45 -> 99
    EXPECT_EQ(MulDivFloor(1999, 5, 100), 99);
    const auto parts = Allocate(100, {1, 1, 1});
    EXPECT_EQ(parts, (std::vector<int64_t>{34, 33, 33}));
    EXPECT_EQ(Allocate(0, {5, 5}), (std::vector<int64_t>{0, 0}));
    EXPECT_EQ(Allocate(7, {0, 0}), (std::vector<int64_t>{0, 0}));
}

TEST(PricingTest, AppliesLineThenTierThenCouponThenPoints) {
    PricingInput in;
    in.lines = {Line("A", 2, 10000), Line("B", 1, 5000)};  // 250.00
    in.lines[0].discount = 1000;                           // 190 + 50 = 240
    in.tier_discount_pct = 10;                             // 19.00 + 5.00
    CouponRule c;
    c.code = "C1";
    c.kind = "amount_off";
    c.amount_off = 2000;
    c.min_spend = 20000;
    in.coupons = {c};
    in.points_redeemed = 1000;  // 10.00 at 100 points per yuan
    auto r = Price(in);
    ASSERT_TRUE(r.ok()) << r.error().message.key;
    EXPECT_EQ(r->subtotal, 25000);
    EXPECT_EQ(r->line_discount, 1000);
    EXPECT_EQ(r->tier_discount, 2400);
    EXPECT_EQ(r->coupon_discount, 2000);
    EXPECT_EQ(r->points_value, 1000);
    EXPECT_EQ(r->total, 25000 - 1000 - 2400 - 2000 - 1000);
    // 186.00 paid in money at 1 point per yuan, floor per line.
    int64_t amounts = 0;
    for (const auto& l : r->lines) amounts += l.amount;
    EXPECT_EQ(amounts, r->total);
    EXPECT_EQ(r->points_earned, r->lines[0].amount / 100 + r->lines[1].amount / 100);
}

TEST(PricingTest, CouponThresholdCountsAfterTierDiscount) {
    PricingInput in;
    in.lines = {Line("A", 1, 20000)};
    in.tier_discount_pct = 5;  // 190.00 left
    CouponRule c{.code = "X", .kind = "amount_off", .amount_off = 3000, .min_spend = 20000};
    in.coupons = {c};
    auto r = Price(in);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().fields.at(0).field, "coupon_codes");
    EXPECT_EQ(r.error().fields.at(0).message.key, "coupon.min_spend_not_met");
}

TEST(PricingTest, PercentCouponIsCappedAndLimitedToItsCategories) {
    PricingInput in;
    in.lines = {Line("A", 1, 50000, 7), Line("B", 1, 50000, 8)};
    CouponRule c{.code = "P", .kind = "percent_off", .percent_off = 20, .max_discount = 5000, .category_ids = {7}};
    in.coupons = {c};
    auto r = Price(in);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->coupon_discount, 5000);  // 20% of 500.00 = 100.00, capped at 50.00
    EXPECT_EQ(r->lines[0].coupon_discount, 5000);
    EXPECT_EQ(r->lines[1].coupon_discount, 0);
}

TEST(PricingTest, GiftCouponFreesOneUnitOfItsItem) {
    PricingInput in;
    in.lines = {Line("A", 1, 10000), Line("GIFT", 3, 1500)};
    CouponRule c{.code = "G", .kind = "gift", .gift_sku = "GIFT"};
    in.coupons = {c};
    auto r = Price(in);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->coupon_discount, 1500);
    EXPECT_EQ(r->lines[1].coupon_discount, 1500);
}

TEST(PricingTest, NonStackableCouponsCannotCombine) {
    PricingInput in;
    in.lines = {Line("A", 1, 50000)};
    CouponRule a{.code = "A", .kind = "amount_off", .amount_off = 1000, .stackable = true};
    CouponRule b{.code = "B", .kind = "amount_off", .amount_off = 1000, .stackable = false};
    in.coupons = {a, b};
    auto r = Price(in);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().fields.at(0).message.key, "coupon.not_stackable");
    b.stackable = true;
    in.coupons = {a, b};
    auto ok = Price(in);
    ASSERT_TRUE(ok.ok());
    EXPECT_EQ(ok->coupon_discount, 2000);
}

TEST(PricingTest, PointsAreCappedAndMustMakeWholeFen) {
    PricingInput in;
    in.lines = {Line("A", 1, 10000)};
    in.rates.redeem_cap_pct = 30;  // at most 30.00 of 100.00
    auto probe = Price(in);
    ASSERT_TRUE(probe.ok());
    EXPECT_EQ(probe->max_redeemable_points, 3000);
    in.points_redeemed = 3001;
    auto over = Price(in);
    ASSERT_FALSE(over.ok());
    EXPECT_EQ(over.error().fields.at(0).message.key, "points.above_cap");
    in.rates.redeem_points_per_yuan = 300;  // 3 points make 1 fen
    in.points_redeemed = 100;
    auto odd = Price(in);
    ASSERT_FALSE(odd.ok());
    EXPECT_EQ(odd.error().fields.at(0).message.key, "points.not_whole_fen");
    EXPECT_EQ(PointsValue(300, in.rates), 100);
}

TEST(PricingTest, EarnsWithTierCategoryAndPromotionMultipliers) {
    PricingInput in;
    in.lines = {Line("A", 1, 12345)};  // 123.45 -> 123 base points
    in.lines[0].category_points_pct = 150;
    in.tier_points_pct = 200;
    in.promo_points_pct = 200;
    auto r = Price(in);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r->points_earned, 12345 * 2 * 3 / 2 * 2 / 100);  // 740.7 -> 740
    in.earns_points = false;
    EXPECT_EQ(Price(in)->points_earned, 0);
}

TEST(PricingTest, LineDiscountAbovePriceIsAFieldError) {
    PricingInput in;
    in.lines = {Line("A", 1, 100)};
    in.lines[0].discount = 101;
    auto r = Price(in);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().fields.at(0).field, "lines[0].discount");
}

// Property: for random baskets the parts always add up, nothing goes negative, points stay
// within the cap, and any sequence of partial refunds of a line gives back exactly the line.
TEST(PricingTest, RandomBasketsAddUpAndRefundsSumToTheWhole) {
    std::mt19937_64 rng(20261128);
    auto uni = [&](int64_t lo, int64_t hi) { return std::uniform_int_distribution<int64_t>(lo, hi)(rng); };
    for (int round = 0; round < 3000; ++round) {
        PricingInput in;
        const int n = static_cast<int>(uni(1, 6));
        for (int i = 0; i < n; ++i) {
            auto l = Line("S" + std::to_string(i), uni(1, 9), uni(1, 200000), uni(1, 3));
            l.discount = uni(0, l.quantity * l.unit_price / 4);
            l.category_points_pct = uni(0, 300);
            in.lines.push_back(l);
        }
        in.tier_discount_pct = uni(0, 30);
        in.tier_points_pct = uni(100, 300);
        in.rates.redeem_cap_pct = uni(0, 100);
        if (uni(0, 1)) in.coupons.push_back({.code = "A", .kind = "amount_off", .amount_off = uni(0, 50000), .stackable = true});
        if (uni(0, 1)) {
            in.coupons.push_back({.code = "P", .kind = "percent_off", .percent_off = uni(1, 50), .max_discount = uni(0, 20000),
                                  .category_ids = {uni(1, 3)}, .stackable = true});
        }
        auto probe = Price(in);
        if (!probe.ok()) continue;  // e.g. no eligible item for the category coupon
        in.points_redeemed = uni(0, probe->max_redeemable_points);
        auto r = Price(in);
        ASSERT_TRUE(r.ok());
        int64_t sum_amount = 0, sum_coupon = 0, sum_points = 0, sum_value = 0;
        for (const auto& l : r->lines) {
            ASSERT_GE(l.amount, 0);
            sum_amount += l.amount;
            sum_coupon += l.coupon_discount;
            sum_points += l.points_used;
            sum_value += l.points_value;
        }
        ASSERT_EQ(sum_amount, r->total);
        ASSERT_EQ(sum_coupon, r->coupon_discount);
        ASSERT_EQ(sum_points, r->points_redeemed);
        ASSERT_EQ(sum_value, r->points_value);
        ASSERT_EQ(r->subtotal - r->line_discount - r->tier_discount - r->coupon_discount - r->points_value, r->total);
        ASSERT_LE(r->points_value, MulDivFloor(r->total + r->points_value, in.rates.redeem_cap_pct, 100));
        for (size_t i = 0; i < r->lines.size(); ++i) {
            const int64_t q = in.lines[i].quantity;
            int64_t done = 0;
            LineRefund sum;
            while (done < q) {
                const int64_t take = uni(1, q - done);
                auto part = RefundShare(r->lines[i], q, done, take);
                sum.amount += part.amount;
                sum.points_earned += part.points_earned;
                sum.points_used += part.points_used;
                done += take;
            }
            ASSERT_EQ(sum.amount, r->lines[i].amount);
            ASSERT_EQ(sum.points_earned, r->lines[i].points_earned);
            ASSERT_EQ(sum.points_used, r->lines[i].points_used);
        }
    }
}

}  // namespace
}  // namespace storecrm::sales
