// Points 积分: the loyalty settings, a member's ledger with balance and points expiring soon,
// and manual adjustments (with a reason, audited).
#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "http/paging.hpp"
#include "loyalty/local_time.hpp"
#include "loyalty/points_ledger.hpp"
#include "loyalty/routes.hpp"
#include "loyalty/settings.hpp"
#include "members/member_service.hpp"

namespace storecrm::loyalty {
namespace {

using http::RequestContext;
using nlohmann::json;

constexpr int64_t kExpiringWindowSeconds = 30 * 86400;

Result<http::Response> GetSettings(RequestContext& ctx) {
    auto s = LoadSettings(ctx.tx);
    if (!s.ok()) return s.take_error();
    return http::JsonOk(SettingsJson(*s));
}

Result<http::Response> PutSettings(RequestContext& ctx) {
    auto s = LoadSettings(ctx.tx);
    if (!s.ok()) return s.take_error();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    STORECRM_TRY(ReadSettings(*body, *s));
    STORECRM_TRY(SaveSettings(ctx.tx, *s));
    STORECRM_TRY(ctx.Audit({"loyalty.settings", "loyalty_settings", "", SettingsJson(*s).dump()}));
    return http::JsonOk(SettingsJson(*s));
}

// GET /members/{id}/points: balance, points expiring within 30 days, the ledger (paged).
Result<http::Response> MemberPoints(RequestContext& ctx) {
    auto member = members::LoadPathMember(ctx);
    if (!member.ok()) return member.take_error();
    const int64_t member_id = member->id;
    auto page = http::ReadPage(ctx.request, 20, 200);
    if (!page.ok()) return page.take_error();
    const int64_t now = NowUnix();
    auto balance = PointsBalance(ctx.tx, member_id);
    if (!balance.ok()) return balance.take_error();
    auto expiring = ctx.tx.QueryOne(
        "SELECT COALESCE(SUM(remaining), 0), MIN(expires_at) FROM points_lots WHERE member_id = ? AND remaining > 0 "
        "AND expires_at IS NOT NULL AND expires_at > ? AND expires_at <= ?",
        {member_id, now, now + kExpiringWindowSeconds});
    if (!expiring.ok()) return expiring.take_error();
    auto total = ctx.tx.QueryOne("SELECT COUNT(*) FROM points_ledger WHERE member_id = ?", {member_id});
    if (!total.ok()) return total.take_error();
    auto rows = ctx.tx.Query(
        "SELECT l.id, l.delta, l.balance_after, l.kind, l.reason, l.source_type, l.source_id, l.store_id, "
        "COALESCE(s.name, ''), l.created_at, COALESCE(k.expires_at, -1) FROM points_ledger l "
        "LEFT JOIN staff s ON s.id = l.operator_id LEFT JOIN points_lots k ON k.id = l.lot_id AND l.delta > 0 "
        "WHERE l.member_id = ? ORDER BY l.id DESC LIMIT ? OFFSET ?",
        {member_id, page->limit, page->offset});
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) {
        items.push_back({{"id", r.Int(0)},
                         {"delta", r.Int(1)},
                         {"balance_after", r.Int(2)},
                         {"kind", r.Text(3)},
                         {"reason", r.Text(4)},
                         {"source_type", r.Text(5)},
                         {"source_id", r.IsNull(6) ? json() : json(r.Int(6))},
                         {"store_id", r.IsNull(7) ? json() : json(r.Int(7))},
                         {"operator_name", r.Text(8)},
                         {"created_at", FormatIsoUtc(r.Int(9))},
                         {"expires_at", r.Int(10) < 0 ? json() : json(FormatIsoUtc(r.Int(10)))}});
    }
    json out = {{"member_id", member_id},
                {"balance", *balance},
                {"expiring_within_30_days", (*expiring)->Int(0)},
                {"next_expiry_at", (*expiring)->IsNull(1) ? json() : json(FormatIsoUtc((*expiring)->Int(1)))},
                {"items", items},
                {"next_cursor", page->NextCursor((*total)->Int(0))},
                {"total", (*total)->Int(0)}};
    if (out["next_cursor"] == "") out["next_cursor"] = nullptr;
    return http::JsonOk(out);
}

// POST /members/{id}/points/adjustments {points (signed, not 0), reason}
Result<http::Response> AdjustPoints(RequestContext& ctx) {
    auto member = members::LoadPathMember(ctx, true);
    if (!member.ok()) return member.take_error();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto points = body->Int("points", true, -10000000, 10000000);
    auto reason = body->Text("reason", {.required = true, .max_chars = 200, .min_chars = 2});
    if (points && *points == 0) body->AddError("points", "points.zero_adjustment");
    STORECRM_TRY(body->Finish());
    const int64_t member_id = member->id;
    STORECRM_TRY(LockMember(ctx.tx, member_id));
    auto settings = LoadSettings(ctx.tx);
    if (!settings.ok()) return settings.take_error();
    auto tz = ctx.tx.QueryOne("SELECT timezone FROM stores WHERE id = ?", {member->home_store_id});
    if (!tz.ok()) return tz.take_error();
    const int64_t now = NowUnix();
    PointsChange change{.member_id = member_id, .points = std::abs(*points), .kind = "adjust", .reason = *reason,
                        .source_type = "staff", .store_id = member->home_store_id,
                        .operator_id = ctx.principal.StaffId(),
                        .now = now};
    if (*points > 0) {
        STORECRM_TRY(AddPoints(ctx.tx, change, PointsExpiry(settings->expiry, now, tz->has_value() ? (*tz)->Text(0) : "")));
    } else {
        auto spent = SpendPoints(ctx.tx, change);
        if (!spent.ok()) {
            Error e = spent.take_error();
            for (auto& f : e.fields) f.field = "points";
            return e;
        }
    }
    STORECRM_TRY(ctx.Audit({"points.adjust", "member", std::to_string(member_id),
                            json({{"points", *points}, {"reason", *reason}}).dump()}));
    auto balance = PointsBalance(ctx.tx, member_id);
    if (!balance.ok()) return balance.take_error();
    return http::JsonOk({{"member_id", member_id}, {"balance", *balance}, {"delta", *points}}, 201);
}

}  // namespace

void RegisterPointsRoutes(http::Router& router) {
    using storage::TxMode;
    router.Add({.method = "GET", .pattern = "/api/v1/loyalty/settings", .permission = "members.read",
                .tx = TxMode::kRead, .tag = "loyalty", .summary = "Points rates, cap, expiry, member day",
                .handler = GetSettings});
    router.Add({.method = "PUT", .pattern = "/api/v1/loyalty/settings", .permission = "loyalty.manage",
                .tx = TxMode::kWrite, .tag = "loyalty", .summary = "Change loyalty settings", .handler = PutSettings});
    router.Add({.method = "GET", .pattern = "/api/v1/members/{id}/points", .permission = "members.read",
                .tx = TxMode::kRead, .tag = "loyalty", .summary = "Balance, expiring points and the points ledger",
                .handler = MemberPoints});
    router.Add({.method = "POST", .pattern = "/api/v1/members/{id}/points/adjustments", .permission = "points.adjust",
                .tx = TxMode::kWrite, .tag = "loyalty", .summary = "Add or take points by hand, with a reason",
                .handler = AdjustPoints});
}

}  // namespace storecrm::loyalty
