#include "loyalty/coupons.hpp"

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>
#include <sodium.h>

#include "common/clock.hpp"

namespace storecrm::loyalty {
namespace {

std::vector<int64_t> IdList(const std::string& text) {
    std::vector<int64_t> ids;
    auto parsed = nlohmann::json::parse(text, nullptr, false);
    if (!parsed.is_array()) return ids;
    for (const auto& v : parsed) {
        if (v.is_number_integer()) ids.push_back(v.get<int64_t>());
    }
    return ids;
}

// 16 characters from 31 without look-alikes (no 0/O, 1/I/L): about 79 bits of randomness.
std::string NewCouponCode() {
    static constexpr char kAlphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    std::string code;
    for (int i = 0; i < 16; ++i) code += kAlphabet[randombytes_uniform(31)];
    return code;
}

}  // namespace

CouponTemplate TemplateFromRow(const storage::Row& r) {
    CouponTemplate t;
    t.id = r.Int(0);
    t.name = r.Text(1);
    t.kind = r.Text(2);
    t.amount_off = r.Int(3);
    t.percent_off = r.Int(4);
    t.max_discount = r.Int(5);
    t.min_spend = r.Int(6);
    t.gift_sku = r.Text(7);
    t.valid_from = r.OptInt(8);
    t.valid_until = r.OptInt(9);
    t.valid_days = r.Int(10);
    t.store_ids = IdList(r.Text(11));
    t.category_ids = IdList(r.Text(12));
    t.per_member_limit = r.Int(13);
    t.stackable = r.Int(14) != 0;
    t.status = r.Text(15);
    t.version = r.Int(16);
    return t;
}

nlohmann::json TemplateJson(const CouponTemplate& t) {
    auto time = [](const std::optional<int64_t>& v) { return v ? nlohmann::json(FormatIsoUtc(*v)) : nlohmann::json(); };
    return {{"id", t.id},
            {"name", t.name},
            {"kind", t.kind},
            {"amount_off", t.amount_off},
            {"percent_off", t.percent_off},
            {"max_discount", t.max_discount},
            {"min_spend", t.min_spend},
            {"gift_sku", t.gift_sku},
            {"valid_from", time(t.valid_from)},
            {"valid_until", time(t.valid_until)},
            {"valid_days", t.valid_days},
            {"store_ids", t.store_ids},
            {"category_ids", t.category_ids},
            {"per_member_limit", t.per_member_limit},
            {"stackable", t.stackable},
            {"status", t.status},
            {"version", t.version}};
}

Result<std::optional<CouponTemplate>> LoadTemplate(storage::Transaction& tx, int64_t id) {
    auto row = tx.QueryOne(std::string("SELECT ") + kTemplateColumns + " FROM coupon_templates WHERE id = ?", {id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return std::optional<CouponTemplate>();
    return std::optional<CouponTemplate>(TemplateFromRow(**row));
}

Result<int64_t> IssueCoupon(storage::Transaction& tx, const CouponTemplate& tmpl, const IssueRequest& request) {
    if (tmpl.status != "active") return Error::Field("template_id", "coupon.template_inactive");
    if (tmpl.per_member_limit > 0) {
        auto held = tx.QueryOne("SELECT COUNT(*) FROM coupons WHERE template_id = ? AND member_id = ? AND status <> 'voided'",
                                {tmpl.id, request.member_id});
        if (!held.ok()) return held.take_error();
        if ((*held)->Int(0) >= tmpl.per_member_limit) {
            return Error::Field("member_ids", "coupon.limit_reached", {{"max", std::to_string(tmpl.per_member_limit)}});
        }
    }
    const int64_t from = tmpl.valid_days > 0 ? request.now : tmpl.valid_from.value_or(request.now);
    const int64_t until = tmpl.valid_days > 0 ? request.now + tmpl.valid_days * 86400 : tmpl.valid_until.value_or(request.now);
    auto row = tx.QueryOne(
        "INSERT INTO coupons (template_id, member_id, code, status, valid_from, valid_until, issue_reason, issued_by, "
        "issued_at) VALUES (?, ?, ?, 'issued', ?, ?, ?, ?, ?) RETURNING id",
        {tmpl.id, request.member_id, NewCouponCode(), from, until, request.reason, request.issued_by, request.now});
    if (!row.ok()) return row.take_error();
    return (*row)->Int(0);
}

Result<std::vector<int64_t>> CategoryWithDescendants(storage::Transaction& tx, const std::vector<int64_t>& roots) {
    if (roots.empty()) return std::vector<int64_t>{};
    auto rows = tx.Query("SELECT id, parent_id FROM product_categories");
    if (!rows.ok()) return rows.take_error();
    std::set<int64_t> found(roots.begin(), roots.end());
    for (bool grew = true; grew;) {  // category trees are small: a few passes
        grew = false;
        for (const auto& r : *rows) {
            if (!r.IsNull(1) && found.count(r.Int(1)) && found.insert(r.Int(0)).second) grew = true;
        }
    }
    return std::vector<int64_t>(found.begin(), found.end());
}

Result<std::vector<UsableCoupon>> CouponsForSale(storage::Transaction& tx, const std::vector<std::string>& codes,
                                                 int64_t member_id, int64_t store_id, int64_t now) {
    std::vector<UsableCoupon> out;
    std::set<std::string> seen;
    for (const auto& code : codes) {
        if (!seen.insert(code).second) return Error::Field("coupon_codes", "coupon.duplicate");
        auto row = tx.QueryOne(
            "SELECT c.id, c.status, c.valid_from, c.valid_until, c.template_id FROM coupons c WHERE c.code = ? AND "
            "c.member_id = ?",
            {code, member_id});
        if (!row.ok()) return row.take_error();
        if (!row->has_value()) return Error::Field("coupon_codes", "coupon.not_found", {{"code", code}});
        const auto& c = **row;
        if (c.Text(1) != "issued" || c.Int(3) <= now) return Error::Field("coupon_codes", "coupon.not_usable", {{"code", code}});
        if (c.Int(2) > now) return Error::Field("coupon_codes", "coupon.not_valid_yet", {{"code", code}});
        auto tmpl = LoadTemplate(tx, c.Int(4));
        if (!tmpl.ok()) return tmpl.take_error();
        const auto& t = **tmpl;
        if (!t.store_ids.empty() && std::find(t.store_ids.begin(), t.store_ids.end(), store_id) == t.store_ids.end()) {
            return Error::Field("coupon_codes", "coupon.wrong_store", {{"code", code}});
        }
        auto categories = CategoryWithDescendants(tx, t.category_ids);
        if (!categories.ok()) return categories.take_error();
        UsableCoupon u;
        u.coupon_id = c.Int(0);
        u.name = t.name;
        u.rule = {.code = code, .kind = t.kind, .amount_off = t.amount_off, .percent_off = t.percent_off,
                  .max_discount = t.max_discount, .min_spend = t.min_spend, .gift_sku = t.gift_sku,
                  .category_ids = *categories, .stackable = t.stackable};
        out.push_back(std::move(u));
    }
    return out;
}

Status MarkCouponsUsed(storage::Transaction& tx, const std::vector<UsableCoupon>& coupons, int64_t sale_id, int64_t now) {
    for (const auto& c : coupons) {
        auto changed = tx.Exec(
            "UPDATE coupons SET status = 'used', used_at = ?, sale_id = ?, version = version + 1 "
            "WHERE id = ? AND status = 'issued'",
            {now, sale_id, c.coupon_id});
        if (!changed.ok()) return changed.take_error();
        if (changed->changes != 1) {
            Error e = Error::Field("coupon_codes", "coupon.not_usable", {{"code", c.rule.code}});
            e.code = ErrorCode::kConflict;
            return e;
        }
    }
    return Ok();
}

Result<nlohmann::json> MemberCouponsJson(storage::Transaction& tx, int64_t member_id, int64_t now,
                                         const std::string& status_filter) {
    auto rows = tx.Query(
        "SELECT c.id, c.code, c.status, c.valid_from, c.valid_until, c.issue_reason, c.issued_at, c.used_at, c.sale_id, "
        "t.id, t.name, t.kind, t.amount_off, t.percent_off, t.max_discount, t.min_spend, t.stackable "
        "FROM coupons c JOIN coupon_templates t ON t.id = c.template_id WHERE c.member_id = ? ORDER BY c.id DESC",
        {member_id});
    if (!rows.ok()) return rows.take_error();
    nlohmann::json items = nlohmann::json::array();
    for (const auto& r : *rows) {
        std::string status = r.Text(2);
        if (status == "issued" && r.Int(4) <= now) status = "expired";  // the nightly job will record it
        if (!status_filter.empty() && status != status_filter) continue;
        items.push_back({{"id", r.Int(0)},
                         {"code", r.Text(1)},
                         {"status", status},
                         {"valid_from", FormatIsoUtc(r.Int(3))},
                         {"valid_until", FormatIsoUtc(r.Int(4))},
                         {"issue_reason", r.Text(5)},
                         {"issued_at", FormatIsoUtc(r.Int(6))},
                         {"used_at", r.IsNull(7) ? nlohmann::json() : nlohmann::json(FormatIsoUtc(r.Int(7)))},
                         {"sale_id", r.IsNull(8) ? nlohmann::json() : nlohmann::json(r.Int(8))},
                         {"template", {{"id", r.Int(9)},
                                       {"name", r.Text(10)},
                                       {"kind", r.Text(11)},
                                       {"amount_off", r.Int(12)},
                                       {"percent_off", r.Int(13)},
                                       {"max_discount", r.Int(14)},
                                       {"min_spend", r.Int(15)},
                                       {"stackable", r.Int(16) != 0}}}});
    }
    return items;
}

}  // namespace storecrm::loyalty
