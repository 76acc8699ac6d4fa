#pragma once
// The pricing and points rules of a checkout, pure so they can be tested without a database.
//
// Order of discounts (each step works on what the previous one left):
//   1. the line discount the cashier typed (fen, per line);
//   2. the member's tier discount, a percentage of each line, rounded half up per line;
//   3. coupons, in the order given, each on the lines it applies to (amount off above a
//      threshold, percentage with a cap, or one gift unit free), spread over those lines;
//   4. points as cash, capped at a percentage of what is left, spread over every line.
// Points are earned on what the member pays in money (never on points), per line, rounded
// down, multiplied by the tier, the category and the promotion (member day) percentages.
// Spreading an amount over lines uses the largest remainder, so the parts always add up
// exactly and a refund by line can give back exactly what that line took.

#include <cstdint>
#include <string>
#include <vector>

#include "common/error.hpp"

namespace storecrm::sales {

// a * b / c rounded half up, for non-negative values (128-bit intermediate).
int64_t MulDivRound(int64_t a, int64_t b, int64_t c);
// a * b / c rounded down, for non-negative values.
int64_t MulDivFloor(int64_t a, int64_t b, int64_t c);
// Splits `total` over `weights` in proportion (largest remainder; ties to the earlier line).
std::vector<int64_t> Allocate(int64_t total, const std::vector<int64_t>& weights);

struct LoyaltyRates {
    int64_t points_per_yuan = 1;           // earned per yuan paid in money
    int64_t redeem_points_per_yuan = 100;  // points that make one yuan of cash offset
    int64_t redeem_cap_pct = 50;           // at most this share of the order may be paid in points
};

struct PriceLine {
    std::string sku;
    int64_t category_id = 0;          // 0: none
    int64_t quantity = 1;
    int64_t unit_price = 0;
    int64_t discount = 0;             // the cashier's line discount, fen
    int64_t category_points_pct = 100;
};

struct CouponRule {
    std::string code;
    std::string kind;                  // amount_off | percent_off | gift
    int64_t amount_off = 0;
    int64_t percent_off = 0;
    int64_t max_discount = 0;          // 0: no cap
    int64_t min_spend = 0;
    std::string gift_sku;
    std::vector<int64_t> category_ids;  // empty: every category (already expanded to sub-categories)
    bool stackable = false;
};

struct PricingInput {
    std::vector<PriceLine> lines;
    int64_t tier_discount_pct = 0;
    int64_t tier_points_pct = 100;
    int64_t promo_points_pct = 100;  // member day, double-points days
    std::vector<CouponRule> coupons;
    int64_t points_redeemed = 0;
    LoyaltyRates rates;
    bool earns_points = true;  // false without a member
};

struct PricedLine {
    int64_t gross = 0;  // quantity * unit_price
    int64_t discount = 0;
    int64_t tier_discount = 0;
    int64_t coupon_discount = 0;
    int64_t points_used = 0;
    int64_t points_value = 0;
    int64_t amount = 0;  // what the member pays in money for this line
    int64_t points_earned = 0;
};

struct PricingResult {
    std::vector<PricedLine> lines;
    std::vector<int64_t> coupon_discounts;  // per coupon, in input order
    int64_t subtotal = 0;
    int64_t line_discount = 0;
    int64_t tier_discount = 0;
    int64_t coupon_discount = 0;
    int64_t points_redeemed = 0;
    int64_t points_value = 0;
    int64_t total = 0;  // to pay in money
    int64_t points_earned = 0;
    int64_t max_redeemable_points = 0;  // the cap for this basket
};

// Field errors name the request field: lines[i].discount, coupon_codes, points_redeemed.
Result<PricingResult> Price(const PricingInput& input);

// Value in fen of `points`, or -1 when that many points do not make whole fen.
int64_t PointsValue(int64_t points, const LoyaltyRates& rates);

// What returning `quantity` more units of a line gives back, given `already` units returned
// before: computed from cumulative shares so repeated partial refunds add up to the whole.
struct LineRefund {
    int64_t amount = 0;
    int64_t points_earned = 0;   // to take back
    int64_t points_used = 0;     // to give back
    int64_t points_value = 0;
    int64_t coupon_discount = 0;
};
LineRefund RefundShare(const PricedLine& line, int64_t line_quantity, int64_t already, int64_t quantity);

}  // namespace storecrm::sales
