#include "sales/sale_service.hpp"

#include <algorithm>
#include <any>
#include <map>
#include <memory>
#include <set>

#include <nlohmann/json.hpp>

#include "catalog/products.hpp"
#include "common/clock.hpp"
#include "common/money.hpp"
#include "loyalty/coupons.hpp"
#include "loyalty/local_time.hpp"
#include "loyalty/points_ledger.hpp"
#include "loyalty/settings.hpp"
#include "loyalty/tiers.hpp"
#include "members/member_service.hpp"
#include "sales/pricing.hpp"
#include "sales/sale_store.hpp"
#include "jobs/domain_events.hpp"

namespace storecrm::sales {
namespace {

using nlohmann::json;

constexpr std::initializer_list<const char*> kPaymentMethods = {"cash", "bank_card", "wechat_pay", "alipay", "other"};

struct Basket {
    std::vector<catalog::Product> products;  // per line
    PricingInput pricing;
    std::optional<members::MemberRecord> member;
    std::optional<loyalty::Tier> tier;
    std::vector<loyalty::UsableCoupon> coupons;
    loyalty::LoyaltySettings settings;
    std::string store_timezone;
    SaleView::Store store;
    int64_t sold_at = 0;
};

// Everything a price needs, read and checked: store, member, products, tier, coupons, rates.
Result<Basket> LoadBasket(http::RequestContext& ctx, const SaleInput& in) {
    Basket b;
    b.sold_at = in.sold_at.value_or(NowUnix());
    if (!ctx.principal.CanAccessStore(in.store_id)) return Error::Field("store_id", "field.store_out_of_scope");
    auto store = ctx.tx.QueryOne("SELECT timezone, status, name, code, address FROM stores WHERE id = ?", {in.store_id});
    if (!store.ok()) return store.take_error();
    if (!store->has_value() || (*store)->Text(1) != "active") return Error::Field("store_id", "field.not_found");
    b.store_timezone = (*store)->Text(0);
    b.store = {(*store)->Text(2), (*store)->Text(3), (*store)->Text(4), b.store_timezone};

    auto settings = loyalty::LoadSettings(ctx.tx);
    if (!settings.ok()) return settings.take_error();
    b.settings = *settings;
    b.pricing.rates = b.settings.rates;

    if (in.member_id) {
        members::MemberRepository repo(ctx.tx, *ctx.services.vault);
        auto member = members::LoadVisibleMember(ctx, repo, *in.member_id);
        if (!member.ok()) {
            if (member.error().code == ErrorCode::kNotFound) return Error::Field("member_id", "field.not_found");
            return member.take_error();
        }
        if (member->record.status != "active") return Error::Field("member_id", "error.member_not_active");
        b.member = member->record;
        auto tier = loyalty::MemberTier(ctx.tx, b.member->id);
        if (!tier.ok()) return tier.take_error();
        b.tier = *tier;
    } else if (!in.coupon_codes.empty() || in.points_redeemed > 0) {
        return Error::Field("member_id", "sale.member_required");
    }
    b.pricing.earns_points = b.member.has_value();
    if (b.tier) {
        b.pricing.tier_discount_pct = b.tier->discount_pct;
        b.pricing.tier_points_pct = b.tier->points_multiplier_pct;
    }
    if (b.settings.member_day != 0 && loyalty::LocalWeekday(b.sold_at, b.store_timezone) == b.settings.member_day) {
        b.pricing.promo_points_pct = b.settings.member_day_multiplier_pct;
    }
    if (!b.settings.promo_dates.empty() &&
        ("," + b.settings.promo_dates + ",").find("," + loyalty::LocalDate(b.sold_at, b.store_timezone) + ",") !=
            std::string::npos) {
        b.pricing.promo_points_pct = std::max(b.pricing.promo_points_pct, b.settings.promo_multiplier_pct);
    }

    std::vector<std::string> codes;
    for (const auto& l : in.lines) codes.push_back(l.sku);
    auto products = catalog::ProductsByCode(ctx.tx, codes);
    if (!products.ok()) return products.take_error();
    std::vector<FieldError> errors;
    for (size_t i = 0; i < in.lines.size(); ++i) {
        const auto& line = in.lines[i];
        auto it = products->find(line.sku);
        const std::string field = "lines[" + std::to_string(i) + "].sku";
        if (it == products->end()) {
            errors.push_back({field, {"field.not_found", {}}});
            continue;
        }
        if (it->second.status != "active") errors.push_back({field, {"sale.product_inactive", {}}});
        b.products.push_back(it->second);
        PriceLine pl;
        pl.sku = it->second.sku;
        pl.category_id = it->second.category_id.value_or(0);
        pl.quantity = line.quantity;
        pl.unit_price = line.unit_price.value_or(it->second.price);
        pl.discount = line.discount;
        pl.category_points_pct = it->second.category_points_pct;
        b.pricing.lines.push_back(pl);
    }
    if (!errors.empty()) return Error::Validation(std::move(errors));

    if (!in.coupon_codes.empty()) {
        auto coupons = loyalty::CouponsForSale(ctx.tx, in.coupon_codes, b.member->id, in.store_id, b.sold_at);
        if (!coupons.ok()) return coupons.take_error();
        b.coupons = std::move(*coupons);
        for (const auto& c : b.coupons) b.pricing.coupons.push_back(c.rule);
    }
    b.pricing.points_redeemed = in.points_redeemed;
    return b;
}

json PricedJson(const Basket& b, const PricingResult& r) {
    json lines = json::array();
    for (size_t i = 0; i < r.lines.size(); ++i) {
        const auto& l = r.lines[i];
        lines.push_back({{"line_no", i + 1},
                         {"product_id", b.products[i].id},
                         {"sku", b.products[i].sku},
                         {"name", b.products[i].name},
                         {"quantity", b.pricing.lines[i].quantity},
                         {"unit_price", b.pricing.lines[i].unit_price},
                         {"discount", l.discount},
                         {"tier_discount", l.tier_discount},
                         {"coupon_discount", l.coupon_discount},
                         {"points_used", l.points_used},
                         {"points_value", l.points_value},
                         {"amount", l.amount},
                         {"points_earned", l.points_earned}});
    }
    return {{"lines", lines},
            {"subtotal", r.subtotal},
            {"line_discount", r.line_discount},
            {"tier_discount", r.tier_discount},
            {"coupon_discount", r.coupon_discount},
            {"points_redeemed", r.points_redeemed},
            {"points_value", r.points_value},
            {"total", r.total},
            {"points_earned", r.points_earned},
            {"max_redeemable_points", r.max_redeemable_points},
            {"promo_points_pct", b.pricing.promo_points_pct}};
}

Status CheckPayments(const SaleInput& in, const PricingResult& priced) {
    int64_t paid = 0;
    for (const auto& p : in.payments) paid += p.amount;
    if (paid != priced.total) {
        return Error::Field("payments", "sale.payments_mismatch", {{"paid", FormatYuan(paid)}, {"due", FormatYuan(priced.total)}});
    }
    return Ok();
}

// The sequence value for a store's terminal: receipt numbers the server assigns.
Result<std::string> NextReceiptNo(storage::Transaction& tx, int64_t store_id, const std::string& terminal) {
    auto row = tx.QueryOne(
        "INSERT INTO sequences (name, value) VALUES (?, 1) ON CONFLICT (name) DO UPDATE SET value = sequences.value + 1 "
        "RETURNING value",
        {"receipt:" + std::to_string(store_id) + ":" + terminal});
    if (!row.ok()) return row.take_error();
    std::string number = std::to_string((*row)->Int(0));
    if (number.size() < 6) number.insert(0, 6 - number.size(), '0');
    return number;
}

// Rewards the referrer when this is the referee's first completed sale.
Status RewardReferral(http::RequestContext& ctx, const Basket& b, int64_t sale_id, int64_t store_id) {
    const auto& m = *b.member;
    if (!m.referrer_id || *m.referrer_id == m.id || b.settings.referral_points <= 0) return Ok();
    auto referrer = ctx.tx.QueryOne("SELECT status, home_store_id FROM members WHERE id = ?", {*m.referrer_id});
    if (!referrer.ok()) return referrer.take_error();
    if (!referrer->has_value() || (*referrer)->Text(0) != "active") return Ok();
    auto existing = ctx.tx.QueryOne("SELECT 1 FROM referrals WHERE referee_id = ?", {m.id});
    if (!existing.ok()) return existing.take_error();
    if (existing->has_value()) return Ok();
    auto referral = ctx.tx.QueryOne(
        "INSERT INTO referrals (referrer_id, referee_id, status, first_sale_id, reward_points, created_at, updated_at) "
        "VALUES (?, ?, 'rewarded', ?, ?, ?, ?) RETURNING id",
        {*m.referrer_id, m.id, sale_id, b.settings.referral_points, b.sold_at, b.sold_at});
    if (!referral.ok()) return referral.take_error();
    STORECRM_TRY(loyalty::LockMember(ctx.tx, *m.referrer_id));
    loyalty::PointsChange reward{.member_id = *m.referrer_id, .points = b.settings.referral_points, .kind = "referral",
                                 .reason = "referral.first_sale", .source_type = "referral",
                                 .source_id = (*referral)->Int(0), .store_id = store_id, .now = b.sold_at};
    STORECRM_TRY(loyalty::AddPoints(ctx.tx, reward, loyalty::PointsExpiry(b.settings.expiry, b.sold_at, b.store_timezone)));
    if (b.settings.referral_coupon_template_id > 0) {
        auto tmpl = loyalty::LoadTemplate(ctx.tx, b.settings.referral_coupon_template_id);
        if (!tmpl.ok()) return tmpl.take_error();
        if (tmpl->has_value() && (*tmpl)->status == "active") {
            auto coupon = loyalty::IssueCoupon(ctx.tx, **tmpl, {.member_id = *m.referrer_id, .reason = "referral", .now = b.sold_at});
            if (!coupon.ok() && coupon.error().code != ErrorCode::kValidation) return coupon.take_error();
            if (coupon.ok()) {
                STORECRM_TRY(ctx.tx.Exec("UPDATE referrals SET coupon_id = ? WHERE id = ?", {*coupon, (*referral)->Int(0)}));
            }
        }
    }
    return Ok();
}

// The sale just written, as GET /sales/{id} would load it.
SaleView WrittenSale(const http::RequestContext& ctx, const Basket& b, const SaleInput& in, const PricingResult& r,
                     int64_t sale_id, const std::string& receipt_no) {
    SaleView v;
    v.id = sale_id;
    v.store_id = in.store_id;
    v.terminal = in.terminal;
    v.receipt_no = receipt_no;
    v.member_id = b.member ? std::optional<int64_t>(b.member->id) : std::nullopt;
    v.cashier_id = ctx.principal.StaffId();
    v.guide_id = in.guide_id;
    v.sold_at = b.sold_at;
    v.subtotal = r.subtotal;
    v.line_discount = r.line_discount;
    v.tier_discount = r.tier_discount;
    v.coupon_discount = r.coupon_discount;
    v.points_redeemed = r.points_redeemed;
    v.points_value = r.points_value;
    v.total = r.total;
    v.points_earned = r.points_earned;
    v.store = b.store;
    v.cashier_name = v.cashier_id ? ctx.principal.name : "";
    for (size_t i = 0; i < r.lines.size(); ++i) {
        v.lines.push_back({static_cast<int64_t>(i + 1), b.products[i].id, b.products[i].sku, b.products[i].name,
                           b.pricing.lines[i].quantity, b.pricing.lines[i].unit_price, 0, r.lines[i]});
    }
    for (const auto& p : in.payments) v.payments.push_back({p.method, p.amount});
    if (r.points_value > 0) v.payments.push_back({"points", r.points_value});
    // Listed by coupon id, as the stored sale lists them.
    std::vector<size_t> order(b.coupons.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t x, size_t y) { return b.coupons[x].coupon_id < b.coupons[y].coupon_id; });
    for (size_t i : order) v.coupons.push_back({b.coupons[i].rule.code, r.coupon_discounts[i], b.coupons[i].name});
    return v;
}

}  // namespace

Result<SaleInput> ReadSaleInput(http::BodyReader& body, const security::Principal& caller, bool quote) {
    SaleInput in;
    auto store_id = body.Int("store_id", caller.store_ids.size() != 1 || caller.all_stores, 1);
    if (store_id) in.store_id = *store_id;
    else if (!caller.all_stores && caller.store_ids.size() == 1) in.store_id = caller.store_ids.front();
    auto terminal = body.Text("terminal", {.required = false, .max_chars = 32});
    in.terminal = terminal.value_or("WEB");
    if (terminal && terminal->empty()) body.AddError("terminal", "field.required");
    in.receipt_no = body.Text("receipt_no", {.max_chars = 40});
    if (in.receipt_no && in.receipt_no->empty()) in.receipt_no.reset();
    in.member_id = body.Int("member_id", false, 1);
    in.guide_id = body.Int("guide_id", false, 1);
    if (auto sold_at = body.Text("sold_at", {.max_chars = 20})) {
        in.sold_at = ParseIsoDateTime(*sold_at);
        if (!in.sold_at) body.AddError("sold_at", "field.invalid_datetime");
        else if (*in.sold_at > NowUnix() + 300) body.AddError("sold_at", "field.date_in_future");
    }
    if (auto points = body.Int("points_redeemed", false, 0, 100000000)) in.points_redeemed = *points;
    if (auto codes = body.TextList("coupon_codes", false, 10, 40)) in.coupon_codes = *codes;

    const bool has_lines = body.EachObject("lines", 200, [&](http::BodyReader& line, size_t) {
        SaleLineInput l;
        // A till sends what it scanned: `sku` (SKU or barcode) or `barcode`; the lookup takes either.
        const auto sku = line.Text("sku", {.max_chars = 64});
        const auto barcode = line.Text("barcode", {.max_chars = 64});
        if (sku && barcode) line.AddError("barcode", "sale.sku_or_barcode");
        else if (sku || barcode) l.sku = sku ? *sku : *barcode;
        else if (!line.HasErrors()) line.AddError("sku", "field.required");
        if (auto q = line.Int("quantity", true, 1, 100000)) l.quantity = *q;
        l.unit_price = line.Int("unit_price", false, 0, 100000000000);
        if (auto d = line.Int("discount", false, 0, 100000000000)) l.discount = *d;
        in.lines.push_back(l);
    });
    if (!has_lines) body.AddError("lines", "field.required");
    else if (in.lines.empty() && !body.HasErrors()) body.AddError("lines", "sale.no_lines");

    const bool has_payments = body.EachObject("payments", 10, [&](http::BodyReader& pay, size_t) {
        PaymentInput p;
        const auto* method = pay.Raw("method");
        if (method && method->is_string() && method->get<std::string>() == "points") {
            pay.AddError("method", "sale.points_payment_not_allowed");
        } else if (auto m = pay.Choice("method", kPaymentMethods, true)) {
            p.method = *m;
        }
        if (auto a = pay.Int("amount", true, 0, 100000000000)) p.amount = *a;
        in.payments.push_back(p);
    });
    if (!quote && !has_payments) body.AddError("payments", "field.required");
    STORECRM_TRY(body.Finish());
    return in;
}

Result<json> QuoteSale(http::RequestContext& ctx, const SaleInput& in) {
    auto basket = LoadBasket(ctx, in);
    if (!basket.ok()) return basket.take_error();
    auto priced = Price(basket->pricing);
    if (!priced.ok()) return priced.take_error();
    json out = PricedJson(*basket, *priced);
    out["store_id"] = in.store_id;
    out["member_id"] = basket->member ? json(basket->member->id) : json();
    out["tier"] = basket->tier ? loyalty::TierJson(*basket->tier) : json();
    if (basket->member) {
        auto balance = loyalty::PointsBalance(ctx.tx, basket->member->id);
        if (!balance.ok()) return balance.take_error();
        out["points_balance"] = *balance;
        out["max_redeemable_points"] = std::min(priced->max_redeemable_points, *balance);
        auto coupons = loyalty::MemberCouponsJson(ctx.tx, basket->member->id, basket->sold_at, "issued");
        if (!coupons.ok()) return coupons.take_error();
        out["available_coupons"] = *coupons;
    }
    out["redeem_points_per_yuan"] = basket->settings.rates.redeem_points_per_yuan;
    return out;
}

struct PreparedSale {
    SaleInput input;
    Basket basket;
    PricingResult priced;
};

Status PrepareSale(http::RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto input = ReadSaleInput(*body, ctx.principal, false);
    if (!input.ok()) return input.take_error();
    auto basket = LoadBasket(ctx, *input);
    if (!basket.ok()) return basket.take_error();
    auto priced = Price(basket->pricing);
    if (!priced.ok()) return priced.take_error();
    STORECRM_TRY(CheckPayments(*input, *priced));
    ctx.prepared = std::make_shared<const PreparedSale>(
        PreparedSale{std::move(*input), std::move(*basket), std::move(*priced)});
    return Ok();
}

Result<json> CompleteSale(http::RequestContext& ctx) {
    const auto* prepared = std::any_cast<std::shared_ptr<const PreparedSale>>(&ctx.prepared);
    if (!prepared || !*prepared) return Error::Internal("sale not prepared");
    const SaleInput& in = (*prepared)->input;
    const Basket& b = (*prepared)->basket;
    const PricingResult* priced = &(*prepared)->priced;
    if (b.member) STORECRM_TRY(loyalty::LockMember(ctx.tx, b.member->id));

    std::string receipt_no;
    if (in.receipt_no) {
        auto taken = ctx.tx.QueryOne("SELECT 1 FROM sales WHERE store_id = ? AND terminal = ? AND receipt_no = ?",
                                     {in.store_id, in.terminal, *in.receipt_no});
        if (!taken.ok()) return taken.take_error();
        if (taken->has_value()) return Error::Conflict("receipt_no", "sale.receipt_no_taken");
        receipt_no = *in.receipt_no;
    } else {
        auto next = NextReceiptNo(ctx.tx, in.store_id, in.terminal);
        if (!next.ok()) return next.take_error();
        receipt_no = *next;
    }

    const auto& r = *priced;
    const int64_t now = b.sold_at;
    SaleRow sale{.store_id = in.store_id, .terminal = in.terminal, .receipt_no = receipt_no,
                 .member_id = b.member ? std::optional<int64_t>(b.member->id) : std::nullopt,
                 .cashier_id = ctx.principal.StaffId(), .guide_id = in.guide_id, .sold_at = now,
                 .created_by_token = ctx.principal.kind == security::Principal::Kind::kApiToken
                                         ? std::optional<int64_t>(ctx.principal.id) : std::nullopt};
    auto sale_id = InsertSale(ctx.tx, sale, r);
    if (!sale_id.ok()) return sale_id.take_error();
    for (size_t i = 0; i < r.lines.size(); ++i) {
        STORECRM_TRY(InsertSaleLine(ctx.tx, *sale_id, static_cast<int64_t>(i + 1), b.products[i], b.pricing.lines[i], r.lines[i]));
    }
    for (const auto& p : in.payments) STORECRM_TRY(InsertPayment(ctx.tx, *sale_id, p.method, p.amount));
    if (r.points_value > 0) STORECRM_TRY(InsertPayment(ctx.tx, *sale_id, "points", r.points_value));
    for (size_t i = 0; i < b.coupons.size(); ++i) {
        STORECRM_TRY(ctx.tx.Defer("INSERT INTO sale_coupons (sale_id, coupon_id, discount) VALUES (?, ?, ?)",
                                 {*sale_id, b.coupons[i].coupon_id, r.coupon_discounts[i]}));
    }
    STORECRM_TRY(loyalty::MarkCouponsUsed(ctx.tx, b.coupons, *sale_id, now));

    if (b.member) {
        const int64_t member_id = b.member->id;
        if (r.points_redeemed > 0) {
            STORECRM_TRY(loyalty::SpendPoints(ctx.tx, {.member_id = member_id, .points = r.points_redeemed,
                                                       .kind = "redeem", .reason = "sale.points_offset",
                                                       .source_type = "sale", .source_id = *sale_id,
                                                       .store_id = in.store_id, .operator_id = ctx.principal.StaffId(),
                                                       .now = now}));
        }
        if (r.points_earned > 0) {
            STORECRM_TRY(loyalty::AddPoints(ctx.tx,
                                            {.member_id = member_id, .points = r.points_earned, .kind = "earn",
                                             .reason = "sale.earn", .source_type = "sale", .source_id = *sale_id,
                                             .store_id = in.store_id, .operator_id = ctx.principal.StaffId(), .now = now},
                                            loyalty::PointsExpiry(b.settings.expiry, now, b.store_timezone)));
        }
        auto purchases = RecordPurchase(ctx.tx, member_id, r.total, now);
        if (!purchases.ok()) return purchases.take_error();
        STORECRM_TRY(loyalty::UpgradeIfQualified(ctx.tx, member_id, now, "sale", *sale_id));
        if (*purchases == 1) STORECRM_TRY(RewardReferral(ctx, b, *sale_id, in.store_id));
    }
    // The answer is read before the stock moves: every till of a store updates the same few stock
    // rows, so they are locked (PostgreSQL) for as short a time as possible — sent last, in
    // product order, in one pipeline with the event, the stored idempotent answer and COMMIT.
    auto answer = SaleViewJson(ctx.tx, WrittenSale(ctx, b, in, r, *sale_id, receipt_no));
    if (!answer.ok()) return answer.take_error();
    std::vector<size_t> order(b.products.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t x, size_t y) { return b.products[x].id < b.products[y].id; });
    for (size_t i : order) {
        STORECRM_TRY(catalog::MoveStock(ctx.tx, {.store_id = in.store_id, .product_id = b.products[i].id,
                                                 .quantity = -b.pricing.lines[i].quantity, .reason = "sale",
                                                 .source_type = "sale", .source_id = *sale_id,
                                                 .operator_id = ctx.principal.StaffId(), .now = now}));
    }

    STORECRM_TRY(jobs::PublishEvent(ctx.tx, "sale.completed", *sale_id,
                                    {{"sale_id", *sale_id}, {"store_id", in.store_id},
                                     {"member_id", b.member ? json(b.member->id) : json(nullptr)},
                                     {"receipt_no", receipt_no}, {"total", r.total}},
                                    now));
    return answer;
}

Result<RefundInput> ReadRefundInput(http::BodyReader& body) {
    RefundInput in;
    if (auto reason = body.Text("reason", {.max_chars = 200})) in.reason = *reason;
    std::set<int64_t> seen;
    body.EachObject("lines", 200, [&](http::BodyReader& line, size_t) {
        RefundLineInput l;
        if (auto n = line.Int("line_no", true, 1, 1000)) l.line_no = *n;
        if (auto q = line.Int("quantity", true, 1, 100000)) l.quantity = *q;
        if (l.line_no && !seen.insert(l.line_no).second) line.AddError("line_no", "sale.duplicate_line");
        in.lines.push_back(l);
    });
    STORECRM_TRY(body.Finish());
    return in;
}

Result<json> RefundSale(http::RequestContext& ctx, int64_t sale_id, const RefundInput& in) {
    auto header = LoadSaleHeader(ctx.tx, sale_id);
    if (!header.ok()) return header.take_error();
    if (!header->has_value() || !ctx.principal.CanAccessStore((*header)->store_id)) return Error::NotFound();
    const SaleHeader sale = **header;
    if (sale.member_id) STORECRM_TRY(loyalty::LockMember(ctx.tx, *sale.member_id));
    auto lines = LoadSaleLines(ctx.tx, sale_id);
    if (!lines.ok()) return lines.take_error();

    // What to return: the lines asked for, or everything not yet returned.
    std::map<int64_t, int64_t> wanted;  // line_no -> quantity
    if (in.lines.empty()) {
        for (const auto& l : *lines) {
            if (l.quantity > l.refunded_quantity) wanted[l.line_no] = l.quantity - l.refunded_quantity;
        }
        if (wanted.empty()) return Error::Field("lines", "sale.nothing_to_refund");
    } else {
        std::vector<FieldError> errors;
        for (size_t i = 0; i < in.lines.size(); ++i) {
            const auto& req = in.lines[i];
            auto it = std::find_if(lines->begin(), lines->end(), [&](const SaleLineRow& l) { return l.line_no == req.line_no; });
            const std::string prefix = "lines[" + std::to_string(i) + "]";
            if (it == lines->end()) {
                errors.push_back({prefix + ".line_no", {"field.not_found", {}}});
            } else if (req.quantity > it->quantity - it->refunded_quantity) {
                errors.push_back({prefix + ".quantity",
                                  {"sale.refund_quantity_too_high", {{"max", std::to_string(it->quantity - it->refunded_quantity)}}}});
            } else {
                wanted[req.line_no] = req.quantity;
            }
        }
        if (!errors.empty()) return Error::Validation(std::move(errors));
    }

    auto settings = loyalty::LoadSettings(ctx.tx);
    if (!settings.ok()) return settings.take_error();
    const int64_t now = NowUnix();
    auto refund_id = InsertRefund(ctx.tx, sale, in.reason, ctx.principal.StaffId(), now);
    if (!refund_id.ok()) return refund_id.take_error();

    int64_t amount = 0, points_earned_back = 0, points_used_back = 0;
    bool all_returned = true;
    for (const auto& l : *lines) {
        auto it = wanted.find(l.line_no);
        const int64_t qty = it == wanted.end() ? 0 : it->second;
        if (l.refunded_quantity + qty < l.quantity) all_returned = false;
        if (qty == 0) continue;
        const auto share = RefundShare(l.priced, l.quantity, l.refunded_quantity, qty);
        amount += share.amount;
        points_earned_back += share.points_earned;
        points_used_back += share.points_used;
        STORECRM_TRY(InsertRefundLine(ctx.tx, *refund_id, l.id, qty, share.amount));
        STORECRM_TRY(catalog::MoveStock(ctx.tx, {.store_id = sale.store_id, .product_id = l.product_id, .quantity = qty,
                                                 .reason = "refund", .source_type = "refund", .source_id = *refund_id,
                                                 .operator_id = ctx.principal.StaffId(), .now = now}));
    }

    int64_t restored = 0, reversed = 0, shortfall_value = 0;
    if (sale.member_id) {
        loyalty::PointsChange change{.member_id = *sale.member_id, .kind = "refund", .source_type = "refund",
                                     .source_id = *refund_id, .store_id = sale.store_id,
                                     .operator_id = ctx.principal.StaffId(), .now = now};
        // Points spent on the returned goods come back first, so they can cover what must be taken.
        if (points_used_back > 0) {
            change.points = points_used_back;
            change.reason = "refund.restore_spent";
            auto back = loyalty::RestoreSpentPoints(ctx.tx, change, "sale", sale_id);
            if (!back.ok()) return back.take_error();
            restored = *back;
        }
        if (points_earned_back > 0) {
            change.points = points_earned_back;
            change.reason = "refund.reverse_earned";
            auto taken = loyalty::TakeBackPoints(ctx.tx, change);
            if (!taken.ok()) return taken.take_error();
            reversed = *taken;
            // Points already spent elsewhere are paid back from the refund, at the redemption rate.
            const int64_t missing = points_earned_back - reversed;
            if (missing > 0) {
                const int64_t rate = settings->rates.redeem_points_per_yuan;
                shortfall_value = std::min(amount, (missing * 100 + rate - 1) / rate);  // rounded up
            }
        }
    }
    const int64_t paid_back = amount - shortfall_value;
    STORECRM_TRY(FinishRefund(ctx.tx, *refund_id, sale_id, paid_back, reversed, restored, shortfall_value, all_returned));

    if (sale.member_id) {
        STORECRM_TRY(RecordRefundOnMember(ctx.tx, *sale.member_id, paid_back, all_returned));
        if (all_returned) {
            STORECRM_TRY(ReturnCouponsOfSale(ctx.tx, sale_id, now));
            STORECRM_TRY(RevokeReferralOfSale(ctx.tx, sale_id, sale.store_id, now));
        }
    }
    STORECRM_TRY(jobs::PublishEvent(ctx.tx, "sale.refunded", *refund_id,
                                    {{"sale_id", sale_id}, {"refund_id", *refund_id}, {"store_id", sale.store_id},
                                     {"member_id", sale.member_id ? json(*sale.member_id) : json(nullptr)},
                                     {"amount", paid_back}},
                                    now));
    STORECRM_TRY(ctx.Audit({"sale.refund", "sale", std::to_string(sale_id),
                            json({{"refund_id", *refund_id}, {"amount", paid_back}, {"reason", in.reason}}).dump()}));
    auto full = SaleJson(ctx.tx, sale_id);
    if (!full.ok()) return full.take_error();
    return json{{"refund", {{"id", *refund_id}, {"amount", paid_back}, {"points_reversed", reversed},
                            {"points_restored", restored}, {"points_shortfall_value", shortfall_value}}},
                {"sale", *full}};
}

Result<json> LoadSaleJson(http::RequestContext& ctx, int64_t sale_id) {
    auto header = LoadSaleHeader(ctx.tx, sale_id);
    if (!header.ok()) return header.take_error();
    if (!header->has_value() || !ctx.principal.CanAccessStore((*header)->store_id)) return Error::NotFound();
    return SaleJson(ctx.tx, sale_id);
}

}  // namespace storecrm::sales
