#include "sales/pricing.hpp"

#include "common/money.hpp"

#include <algorithm>
#include <numeric>

namespace storecrm::sales {

int64_t MulDivRound(int64_t a, int64_t b, int64_t c) {
    if (c <= 0) return 0;
    const __int128 n = static_cast<__int128>(a) * b;
    return static_cast<int64_t>((n + c / 2) / c);
}

int64_t MulDivFloor(int64_t a, int64_t b, int64_t c) {
    if (c <= 0) return 0;
    return static_cast<int64_t>(static_cast<__int128>(a) * b / c);
}

std::vector<int64_t> Allocate(int64_t total, const std::vector<int64_t>& weights) {
    std::vector<int64_t> parts(weights.size(), 0);
    const int64_t sum = std::accumulate(weights.begin(), weights.end(), int64_t{0});
    if (sum <= 0 || total == 0) return parts;
    std::vector<std::pair<int64_t, size_t>> remainders;  // (remainder, index)
    int64_t given = 0;
    for (size_t i = 0; i < weights.size(); ++i) {
        const __int128 n = static_cast<__int128>(total) * weights[i];
        parts[i] = static_cast<int64_t>(n / sum);
        remainders.emplace_back(static_cast<int64_t>(n % sum), i);
        given += parts[i];
    }
    std::stable_sort(remainders.begin(), remainders.end(),
                     [](const auto& x, const auto& y) { return x.first > y.first; });
    for (size_t k = 0; given < total && k < remainders.size(); ++k, ++given) parts[remainders[k].second] += 1;
    return parts;
}

int64_t PointsValue(int64_t points, const LoyaltyRates& rates) {
    if (points < 0 || rates.redeem_points_per_yuan <= 0) return -1;
    const __int128 fen100 = static_cast<__int128>(points) * 100;
    if (fen100 % rates.redeem_points_per_yuan != 0) return -1;
    return static_cast<int64_t>(fen100 / rates.redeem_points_per_yuan);
}

namespace {

int64_t Remaining(const PricedLine& l) { return l.gross - l.discount - l.tier_discount - l.coupon_discount; }

bool CouponAppliesTo(const CouponRule& c, const PriceLine& line) {
    if (c.kind == "gift") return line.sku == c.gift_sku;
    if (c.category_ids.empty()) return true;
    return std::find(c.category_ids.begin(), c.category_ids.end(), line.category_id) != c.category_ids.end();
}

// The largest number of points whose value is whole fen and at most `max_value`.
int64_t MaxPointsFor(int64_t max_value, const LoyaltyRates& rates) {
    if (max_value <= 0 || rates.redeem_points_per_yuan <= 0) return 0;
    const int64_t step = rates.redeem_points_per_yuan / std::gcd(rates.redeem_points_per_yuan, int64_t{100});
    const int64_t points = MulDivFloor(max_value, rates.redeem_points_per_yuan, 100);
    return points - points % step;
}

}  // namespace

Result<PricingResult> Price(const PricingInput& input) {
    PricingResult out;
    std::vector<FieldError> errors;
    if (input.lines.empty()) errors.push_back({"lines", {"sale.no_lines", {}}});
    out.lines.resize(input.lines.size());
    for (size_t i = 0; i < input.lines.size(); ++i) {
        const auto& in = input.lines[i];
        auto& line = out.lines[i];
        line.gross = in.quantity * in.unit_price;
        if (in.discount > line.gross) {
            errors.push_back({"lines[" + std::to_string(i) + "].discount", {"sale.discount_above_price", {}}});
            continue;
        }
        line.discount = in.discount;
        line.tier_discount = MulDivRound(line.gross - line.discount, input.tier_discount_pct, 100);
    }
    if (!errors.empty()) return Error::Validation(std::move(errors));

    // Coupons: a coupon that cannot be stacked must be the only one.
    if (input.coupons.size() > 1) {
        for (const auto& c : input.coupons) {
            if (!c.stackable) return Error::Field("coupon_codes", "coupon.not_stackable", {{"code", c.code}});
        }
    }
    for (const auto& coupon : input.coupons) {
        std::vector<int64_t> weights(out.lines.size(), 0);
        int64_t base = 0;
        int64_t gift_unit = 0;
        for (size_t i = 0; i < out.lines.size(); ++i) {
            if (!CouponAppliesTo(coupon, input.lines[i])) continue;
            weights[i] = Remaining(out.lines[i]);
            base += weights[i];
            if (coupon.kind == "gift" && gift_unit == 0 && input.lines[i].quantity > 0) {
                gift_unit = std::min(weights[i], weights[i] / input.lines[i].quantity);
            }
        }
        if (base <= 0) return Error::Field("coupon_codes", "coupon.no_eligible_items", {{"code", coupon.code}});
        if (base < coupon.min_spend) {
            return Error::Field("coupon_codes", "coupon.min_spend_not_met",
                                {{"code", coupon.code}, {"min", FormatYuan(coupon.min_spend)}});
        }
        int64_t discount = 0;
        if (coupon.kind == "amount_off") discount = coupon.amount_off;
        if (coupon.kind == "percent_off") discount = MulDivRound(base, coupon.percent_off, 100);
        if (coupon.kind == "gift") discount = gift_unit;
        if (coupon.max_discount > 0) discount = std::min(discount, coupon.max_discount);
        discount = std::min(discount, base);
        const auto parts = Allocate(discount, weights);
        for (size_t i = 0; i < out.lines.size(); ++i) out.lines[i].coupon_discount += parts[i];
        out.coupon_discounts.push_back(discount);
        out.coupon_discount += discount;
    }

    int64_t after_coupons = 0;
    for (const auto& l : out.lines) after_coupons += Remaining(l);
    out.max_redeemable_points = MaxPointsFor(MulDivFloor(after_coupons, input.rates.redeem_cap_pct, 100), input.rates);
    if (input.points_redeemed > 0) {
        const int64_t value = PointsValue(input.points_redeemed, input.rates);
        if (value < 0) {
            return Error::Field("points_redeemed", "points.not_whole_fen",
                                {{"rate", std::to_string(input.rates.redeem_points_per_yuan)}});
        }
        if (input.points_redeemed > out.max_redeemable_points) {
            return Error::Field("points_redeemed", "points.above_cap",
                                {{"max", std::to_string(out.max_redeemable_points)}});
        }
        out.points_redeemed = input.points_redeemed;
        out.points_value = value;
        std::vector<int64_t> weights;
        for (const auto& l : out.lines) weights.push_back(Remaining(l));
        const auto values = Allocate(value, weights);
        const auto points = Allocate(input.points_redeemed, weights);
        for (size_t i = 0; i < out.lines.size(); ++i) {
            out.lines[i].points_value = values[i];
            out.lines[i].points_used = points[i];
        }
    }

    for (size_t i = 0; i < out.lines.size(); ++i) {
        auto& l = out.lines[i];
        l.amount = Remaining(l) - l.points_value;
        if (input.earns_points) {
            // base fen * points/yuan / 100 * tier% * category% * promo%, rounded down once.
            const __int128 n = static_cast<__int128>(l.amount) * input.rates.points_per_yuan * input.tier_points_pct *
                               input.lines[i].category_points_pct * input.promo_points_pct;
            l.points_earned = static_cast<int64_t>(n / (static_cast<__int128>(100) * 100 * 100 * 100));
        }
        out.subtotal += l.gross;
        out.line_discount += l.discount;
        out.tier_discount += l.tier_discount;
        out.total += l.amount;
        out.points_earned += l.points_earned;
    }
    return out;
}

LineRefund RefundShare(const PricedLine& line, int64_t line_quantity, int64_t already, int64_t quantity) {
    auto share = [&](int64_t whole) {
        return MulDivFloor(whole, already + quantity, line_quantity) - MulDivFloor(whole, already, line_quantity);
    };
    LineRefund r;
    r.amount = share(line.amount);
    r.points_earned = share(line.points_earned);
    r.points_used = share(line.points_used);
    r.points_value = share(line.points_value);
    r.coupon_discount = share(line.coupon_discount);
    return r;
}

}  // namespace storecrm::sales
