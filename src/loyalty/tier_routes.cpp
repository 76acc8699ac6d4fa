// Tiers 会员等级: the admin's list of levels, and a member's tier, progress and history.
#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "loyalty/routes.hpp"
#include "loyalty/tiers.hpp"
#include "members/member_service.hpp"

namespace storecrm::loyalty {
namespace {

using http::RequestContext;
using nlohmann::json;

Result<http::Response> ListTiers(RequestContext& ctx) {
    auto tiers = LoadTiers(ctx.tx);
    if (!tiers.ok()) return tiers.take_error();
    json items = json::array();
    for (const auto& t : *tiers) items.push_back(TierJson(t));
    return http::JsonOk({{"items", items}});
}

Status ReadTier(http::BodyReader& body, bool creating, Tier& t) {
    if (auto code = body.Text("code", {.required = creating, .max_chars = 32})) t.code = *code;
    if (auto name = body.Text("name", {.required = creating, .max_chars = 32, .min_chars = 1})) t.name = *name;
    if (auto rank = body.Int("rank", creating, 1, 100)) t.rank = *rank;
    if (auto by = body.Choice("qualify_by", {"spend", "purchases"})) t.qualify_by = *by;
    if (auto w = body.Int("window_days", false, 0, 3660)) t.window_days = *w;
    if (auto th = body.Int("threshold", false, 0, 100000000000)) t.threshold = *th;
    if (auto d = body.Int("discount_pct", false, 0, 100)) t.discount_pct = *d;
    if (auto m = body.Int("points_multiplier_pct", false, 0, 1000)) t.points_multiplier_pct = *m;
    if (auto b = body.Int("birthday_points", false, 0, 1000000)) t.birthday_points = *b;
    if (body.Has("birthday_coupon_template_id")) t.birthday_coupon_template_id = body.Int("birthday_coupon_template_id", false, 1);
    if (body.Has("upgrade_coupon_template_id")) t.upgrade_coupon_template_id = body.Int("upgrade_coupon_template_id", false, 1);
    if (auto p = body.Text("privileges", {.max_chars = 500, .multiline = true})) t.privileges = *p;
    if (auto g = body.Int("grace_days", false, 0, 365)) t.grace_days = *g;
    if (!creating) body.Accept("version");
    return body.Finish();
}

Status CheckTierUnique(storage::Transaction& tx, const Tier& t) {
    auto code = tx.QueryOne("SELECT 1 FROM tiers WHERE code = ? AND id <> ?", {t.code, t.id});
    if (!code.ok()) return code.take_error();
    if (code->has_value()) return Error::Conflict("code", "field.code_taken");
    auto rank = tx.QueryOne("SELECT 1 FROM tiers WHERE rank = ? AND id <> ?", {t.rank, t.id});
    if (!rank.ok()) return rank.take_error();
    if (rank->has_value()) return Error::Conflict("rank", "tier.rank_taken");
    for (const auto& [field, id] : {std::pair{"birthday_coupon_template_id", t.birthday_coupon_template_id},
                                    std::pair{"upgrade_coupon_template_id", t.upgrade_coupon_template_id}}) {
        if (!id) continue;
        auto tmpl = tx.QueryOne("SELECT 1 FROM coupon_templates WHERE id = ?", {*id});
        if (!tmpl.ok()) return tmpl.take_error();
        if (!tmpl->has_value()) return Error::Field(field, "field.not_found");
    }
    return Ok();
}

storage::Params TierParams(const Tier& t) {
    return {t.code, t.name, t.rank, t.qualify_by, t.window_days, t.threshold, t.discount_pct, t.points_multiplier_pct,
            t.birthday_points, t.birthday_coupon_template_id, t.privileges, t.grace_days, t.upgrade_coupon_template_id};
}

Result<http::Response> CreateTier(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    Tier t;
    STORECRM_TRY(ReadTier(*body, true, t));
    STORECRM_TRY(CheckTierUnique(ctx.tx, t));
    auto params = TierParams(t);
    params.insert(params.end(), {NowUnix(), NowUnix()});
    auto row = ctx.tx.QueryOne(
        std::string("INSERT INTO tiers (code, name, rank, qualify_by, window_days, threshold, discount_pct, "
                    "points_multiplier_pct, birthday_points, birthday_coupon_template_id, privileges, grace_days, "
                    "upgrade_coupon_template_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "RETURNING ") + kTierColumns,
        params);
    if (!row.ok()) return row.take_error();
    const Tier saved = TierFromRow(**row);
    STORECRM_TRY(ctx.Audit({"tier.create", "tier", std::to_string(saved.id), TierJson(saved).dump()}));
    return http::JsonOk(TierJson(saved), 201);
}

Result<http::Response> UpdateTier(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto row = ctx.tx.QueryOne(std::string("SELECT ") + kTierColumns + " FROM tiers WHERE id = ?", {*id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Error::NotFound();
    const Tier current = TierFromRow(**row);
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto version = body->Int("version", true, 1);
    Tier t = current;
    STORECRM_TRY(ReadTier(*body, false, t));
    STORECRM_TRY(http::CheckVersion(*version, TierJson(current)));
    STORECRM_TRY(CheckTierUnique(ctx.tx, t));
    auto params = TierParams(t);
    params.insert(params.end(), {NowUnix(), *id});
    auto saved = ctx.tx.QueryOne(
        std::string("UPDATE tiers SET code = ?, name = ?, rank = ?, qualify_by = ?, window_days = ?, threshold = ?, "
                    "discount_pct = ?, points_multiplier_pct = ?, birthday_points = ?, birthday_coupon_template_id = ?, "
                    "privileges = ?, grace_days = ?, upgrade_coupon_template_id = ?, version = version + 1, updated_at = ? "
                    "WHERE id = ? RETURNING ") +
            kTierColumns,
        params);
    if (!saved.ok()) return saved.take_error();
    STORECRM_TRY(ctx.Audit({"tier.update", "tier", std::to_string(*id), TierJson(TierFromRow(**saved)).dump()}));
    return http::JsonOk(TierJson(TierFromRow(**saved)));
}

// GET /members/{id}/tier: the tier, progress to the next one, and every change with its reason.
Result<http::Response> MemberTierView(RequestContext& ctx) {
    auto member = members::LoadPathMember(ctx);
    if (!member.ok()) return member.take_error();
    auto progress = TierProgress(ctx.tx, member->id, NowUnix());
    if (!progress.ok()) return progress.take_error();
    auto rows = ctx.tx.Query(
        "SELECT c.id, c.from_tier_id, f.name, c.to_tier_id, t.name, c.reason, c.detail, c.source_type, c.source_id, "
        "c.created_at FROM tier_changes c LEFT JOIN tiers f ON f.id = c.from_tier_id LEFT JOIN tiers t ON t.id = "
        "c.to_tier_id WHERE c.member_id = ? ORDER BY c.id DESC LIMIT 100",
        {member->id});
    if (!rows.ok()) return rows.take_error();
    json history = json::array();
    for (const auto& r : *rows) {
        history.push_back({{"id", r.Int(0)},
                           {"from_tier_id", r.IsNull(1) ? json() : json(r.Int(1))},
                           {"from_tier_name", r.Text(2)},
                           {"to_tier_id", r.IsNull(3) ? json() : json(r.Int(3))},
                           {"to_tier_name", r.Text(4)},
                           {"reason", r.Text(5)},
                           {"detail", r.Text(6)},
                           {"source_type", r.Text(7)},
                           {"source_id", r.IsNull(8) ? json() : json(r.Int(8))},
                           {"created_at", FormatIsoUtc(r.Int(9))}});
    }
    json out = *progress;
    out["history"] = history;
    return http::JsonOk(out);
}

}  // namespace

void RegisterTierRoutes(http::Router& router) {
    using storage::TxMode;
    router.Add({.method = "GET", .pattern = "/api/v1/tiers", .permission = "members.read", .tx = TxMode::kRead,
                .tag = "loyalty", .summary = "Membership tiers, lowest first", .handler = ListTiers});
    router.Add({.method = "POST", .pattern = "/api/v1/tiers", .permission = "loyalty.manage", .tx = TxMode::kWrite,
                .tag = "loyalty", .summary = "Create a tier", .handler = CreateTier});
    router.Add({.method = "PUT", .pattern = "/api/v1/tiers/{id}", .permission = "loyalty.manage", .tx = TxMode::kWrite,
                .tag = "loyalty", .summary = "Update a tier (send version)", .handler = UpdateTier});
    router.Add({.method = "GET", .pattern = "/api/v1/members/{id}/tier", .permission = "members.read",
                .tx = TxMode::kRead, .tag = "loyalty", .summary = "A member's tier, progress and tier history",
                .handler = MemberTierView});
}

}  // namespace storecrm::loyalty
