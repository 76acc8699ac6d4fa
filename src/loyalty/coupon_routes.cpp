// Coupons 优惠券: templates, issuing to members (one, a list, or by rule), a member's coupons,
// voiding; plus the nightly loyalty jobs.
#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "loyalty/behaviour.hpp"
#include "loyalty/coupons.hpp"
#include "loyalty/points_ledger.hpp"
#include "loyalty/routes.hpp"
#include "loyalty/tiers.hpp"
#include "members/member_service.hpp"

namespace storecrm::loyalty {
namespace {

using http::RequestContext;
using nlohmann::json;

constexpr size_t kMaxIssue = 20000;  // one request, one transaction

Result<http::Response> ListTemplates(RequestContext& ctx) {
    auto rows = ctx.tx.Query(std::string("SELECT ") + kTemplateColumns + " FROM coupon_templates ORDER BY id DESC");
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) items.push_back(TemplateJson(TemplateFromRow(r)));
    return http::JsonOk({{"items", items}});
}

Status ReadTemplate(http::BodyReader& body, bool creating, CouponTemplate& t) {
    if (auto name = body.Text("name", {.required = creating, .max_chars = 64, .min_chars = 1})) t.name = *name;
    if (auto kind = body.Choice("kind", {"amount_off", "percent_off", "gift"}, creating)) t.kind = *kind;
    if (auto v = body.Int("amount_off", false, 0, 100000000)) t.amount_off = *v;
    if (auto v = body.Int("percent_off", false, 0, 100)) t.percent_off = *v;
    if (auto v = body.Int("max_discount", false, 0, 100000000)) t.max_discount = *v;
    if (auto v = body.Int("min_spend", false, 0, 100000000)) t.min_spend = *v;
    if (auto v = body.Text("gift_sku", {.max_chars = 64})) t.gift_sku = *v;
    for (const auto& [field, target] : {std::pair{"valid_from", &t.valid_from}, std::pair{"valid_until", &t.valid_until}}) {
        if (!body.Has(field)) continue;
        auto text = body.Text(field, {.max_chars = 20});
        if (!text || text->empty()) {
            *target = std::nullopt;
        } else if (auto at = text->size() == 10 ? ParseIsoDate(*text) : ParseIsoDateTime(*text)) {
            *target = *at + (text->size() == 10 && std::string(field) == "valid_until" ? 86400 : 0);
        } else {
            body.AddError(field, "field.invalid_datetime");
        }
    }
    if (auto v = body.Int("valid_days", false, 0, 3660)) t.valid_days = *v;
    if (auto v = body.IntList("store_ids")) t.store_ids = *v;
    if (auto v = body.IntList("category_ids")) t.category_ids = *v;
    if (auto v = body.Int("per_member_limit", false, 0, 1000)) t.per_member_limit = *v;
    if (auto v = body.Bool("stackable")) t.stackable = *v;
    if (auto v = body.Choice("status", {"active", "inactive"})) t.status = *v;
    if (!creating) body.Accept("version");
    if (!body.HasErrors()) {
        if (t.kind == "amount_off" && t.amount_off <= 0) body.AddError("amount_off", "field.required");
        if (t.kind == "percent_off" && t.percent_off <= 0) body.AddError("percent_off", "field.required");
        if (t.kind == "gift" && t.gift_sku.empty()) body.AddError("gift_sku", "field.required");
        if (t.valid_days == 0 && !t.valid_until) body.AddError("valid_days", "coupon.needs_validity");
    }
    return body.Finish();
}

storage::Params TemplateParams(const CouponTemplate& t) {
    return {t.name, t.kind, t.amount_off, t.percent_off, t.max_discount, t.min_spend, t.gift_sku, t.valid_from,
            t.valid_until, t.valid_days, json(t.store_ids).dump(), json(t.category_ids).dump(), t.per_member_limit,
            t.stackable, t.status};
}

Result<http::Response> CreateTemplate(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    CouponTemplate t;
    STORECRM_TRY(ReadTemplate(*body, true, t));
    auto params = TemplateParams(t);
    params.insert(params.end(), {NowUnix(), NowUnix()});
    auto row = ctx.tx.QueryOne(
        std::string("INSERT INTO coupon_templates (name, kind, amount_off, percent_off, max_discount, min_spend, gift_sku, "
                    "valid_from, valid_until, valid_days, store_ids, category_ids, per_member_limit, stackable, status, "
                    "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING ") +
            kTemplateColumns,
        params);
    if (!row.ok()) return row.take_error();
    const auto saved = TemplateFromRow(**row);
    STORECRM_TRY(ctx.Audit({"coupon_template.create", "coupon_template", std::to_string(saved.id), TemplateJson(saved).dump()}));
    return http::JsonOk(TemplateJson(saved), 201);
}

Result<http::Response> UpdateTemplate(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto current = LoadTemplate(ctx.tx, *id);
    if (!current.ok()) return current.take_error();
    if (!current->has_value()) return Error::NotFound();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto version = body->Int("version", true, 1);
    CouponTemplate t = **current;
    STORECRM_TRY(ReadTemplate(*body, false, t));
    STORECRM_TRY(http::CheckVersion(*version, TemplateJson(**current)));
    auto params = TemplateParams(t);
    params.insert(params.end(), {NowUnix(), *id});
    auto row = ctx.tx.QueryOne(
        std::string("UPDATE coupon_templates SET name = ?, kind = ?, amount_off = ?, percent_off = ?, max_discount = ?, "
                    "min_spend = ?, gift_sku = ?, valid_from = ?, valid_until = ?, valid_days = ?, store_ids = ?, "
                    "category_ids = ?, per_member_limit = ?, stackable = ?, status = ?, version = version + 1, "
                    "updated_at = ? WHERE id = ? RETURNING ") + kTemplateColumns,
        params);
    if (!row.ok()) return row.take_error();
    const auto saved = TemplateFromRow(**row);
    STORECRM_TRY(ctx.Audit({"coupon_template.update", "coupon_template", std::to_string(*id), TemplateJson(saved).dump()}));
    return http::JsonOk(TemplateJson(saved));
}

// POST /coupon-templates/{id}/issue {member_ids: [...]} or {filter: {member list filters}}:
// one coupon per member; all or none.
Result<http::Response> IssueCoupons(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto tmpl = LoadTemplate(ctx.tx, *id);
    if (!tmpl.ok()) return tmpl.take_error();
    if (!tmpl->has_value()) return Error::NotFound();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto member_ids = body->IntList("member_ids");
    const auto* filter = body->Raw("filter");
    const bool by_filter = filter && filter->is_object();
    if (filter && !filter->is_null() && !by_filter) body->AddError("filter", "field.must_be_object");
    if (!member_ids && !by_filter) body->AddError("member_ids", "field.required");
    if (member_ids && (member_ids->empty() || member_ids->size() > kMaxIssue)) {
        body->AddError("member_ids", "field.out_of_range", {{"min", "1"}, {"max", std::to_string(kMaxIssue)}});
    }
    STORECRM_TRY(body->Finish());
    if (!member_ids) {
        auto matching = members::MembersMatching(ctx, *filter, kMaxIssue + 1);
        if (!matching.ok()) return matching.take_error();
        if (matching->empty() || matching->size() > kMaxIssue) {
            return Error::Field("filter", "field.out_of_range", {{"min", "1"}, {"max", std::to_string(kMaxIssue)}});
        }
        member_ids = std::move(*matching);
    }
    members::MemberRepository repo(ctx.tx, *ctx.services.vault);
    const int64_t now = NowUnix();
    json issued = json::array();
    for (size_t i = 0; i < member_ids->size(); ++i) {
        auto member = members::LoadVisibleMember(ctx, repo, (*member_ids)[i]);
        if (!member.ok() || member->record.status != "active") {
            return Error::Field("member_ids[" + std::to_string(i) + "]", "field.not_found");
        }
        auto coupon = IssueCoupon(ctx.tx, **tmpl, {.member_id = member->record.id,
                                                   .reason = member_ids->size() > 1 ? "bulk" : "manual",
                                                   .issued_by = ctx.principal.StaffId(),
                                                   .now = now});
        if (!coupon.ok()) {
            Error e = coupon.take_error();
            for (auto& f : e.fields) f.field = "member_ids[" + std::to_string(i) + "]";
            return e;
        }
        issued.push_back({{"member_id", member->record.id}, {"coupon_id", *coupon}});
    }
    STORECRM_TRY(ctx.Audit({"coupon.issue", "coupon_template", std::to_string(*id),
                            json({{"count", issued.size()}}).dump()}));
    return http::JsonOk({{"issued", issued.size()}, {"items", issued}}, 201);
}

Result<http::Response> MemberCoupons(RequestContext& ctx) {
    auto member = members::LoadPathMember(ctx);
    if (!member.ok()) return member.take_error();
    auto items = MemberCouponsJson(ctx.tx, member->id, NowUnix(), ctx.request.QueryParam("status").value_or(""));
    if (!items.ok()) return items.take_error();
    return http::JsonOk({{"items", *items}});
}

Result<http::Response> VoidCoupon(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto row = ctx.tx.QueryOne("SELECT member_id FROM coupons WHERE id = ?", {*id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Error::NotFound();
    members::MemberRepository repo(ctx.tx, *ctx.services.vault);
    auto member = members::LoadVisibleMember(ctx, repo, (*row)->Int(0));
    if (!member.ok()) return member.take_error();
    auto changed = ctx.tx.Exec("UPDATE coupons SET status = 'voided', version = version + 1 WHERE id = ? AND status = 'issued'",
                               {*id});
    if (!changed.ok()) return changed.take_error();
    if (changed->changes != 1) return Error::Conflict("status", "coupon.not_usable");
    STORECRM_TRY(ctx.Audit({"coupon.void", "coupon", std::to_string(*id), "{}"}));
    return http::JsonOk({{"id", *id}, {"status", "voided"}});
}

}  // namespace

void RegisterCouponRoutes(http::Router& router) {
    using storage::TxMode;
    router.Add({.method = "GET", .pattern = "/api/v1/coupon-templates", .permission = "members.read",
                .tx = TxMode::kRead, .tag = "loyalty", .summary = "Coupon templates", .handler = ListTemplates});
    router.Add({.method = "POST", .pattern = "/api/v1/coupon-templates", .permission = "loyalty.manage",
                .tx = TxMode::kWrite, .tag = "loyalty", .summary = "Create a coupon template", .handler = CreateTemplate});
    router.Add({.method = "PUT", .pattern = "/api/v1/coupon-templates/{id}", .permission = "loyalty.manage",
                .tx = TxMode::kWrite, .tag = "loyalty", .summary = "Update a coupon template (send version)",
                .handler = UpdateTemplate});
    router.Add({.method = "POST", .pattern = "/api/v1/coupon-templates/{id}/issue", .permission = "coupons.issue",
                .tx = TxMode::kWrite, .tag = "loyalty", .summary = "Issue coupons to members (all or none)",
                .handler = IssueCoupons});
    router.Add({.method = "GET", .pattern = "/api/v1/members/{id}/coupons", .permission = "members.read",
                .tx = TxMode::kRead, .tag = "loyalty", .summary = "A member's coupons (?status=issued|used|expired|voided)",
                .handler = MemberCoupons});
    router.Add({.method = "POST", .pattern = "/api/v1/coupons/{id}/void", .permission = "coupons.issue",
                .tx = TxMode::kWrite, .tag = "loyalty", .summary = "Void an unused coupon", .handler = VoidCoupon});
}

void AddLoyaltyJobs(jobs::Scheduler& scheduler) {
    auto in_write = [](storage::Database& db, auto body) -> Status {
        auto tx = db.Begin(storage::TxMode::kWrite);
        if (!tx.ok()) return tx.take_error();
        STORECRM_TRY(body(**tx));
        return (*tx)->Commit();
    };
    scheduler.Add({"points.expire", 3600, [in_write](storage::Database& db) {
                       return in_write(db, [](storage::Transaction& tx) -> Status {
                           STORECRM_TRY(ExpireDueLots(tx, NowUnix()));
                           return Ok();
                       });
                   }});
    scheduler.Add({"coupons.expire", 3600, [in_write](storage::Database& db) {
                       return in_write(db, [](storage::Transaction& tx) -> Status {
                           STORECRM_TRY(tx.Exec(
                               "UPDATE coupons SET status = 'expired', version = version + 1 WHERE status = 'issued' "
                               "AND valid_until <= ?",
                               {NowUnix()}));
                           return Ok();
                       });
                   }});
    scheduler.Add({"birthday.gifts", 6 * 3600, [in_write](storage::Database& db) {
                       return in_write(db, [](storage::Transaction& tx) -> Status {
                           STORECRM_TRY(GrantBirthdayGifts(tx, NowUnix()));
                           return Ok();
                       });
                   }});
    scheduler.Add({"tiers.review", 24 * 3600, [in_write](storage::Database& db) {
                       return in_write(db, [](storage::Transaction& tx) -> Status {
                           STORECRM_TRY(ReviewTiers(tx, NowUnix()));
                           return Ok();
                       });
                   }});
}

}  // namespace storecrm::loyalty
