// 营销目标 Targets: yearly, quarterly and monthly targets for sales, new members and reactivated
// members per store or staff member, with progress against the time gone (China calendar).
#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "marketing/routes.hpp"
#include "service/business_hours.hpp"

namespace storecrm::marketing {
namespace {

using http::RequestContext;
using nlohmann::json;

constexpr const char* kZone = "Asia/Shanghai";
constexpr int64_t kReactivationDays = 60;  // a purchase after this much silence reactivates

struct PeriodRange {
    int64_t from = 0, to = 0;  // [from, to) UTC
};

// "2026", "2026-Q4" or "2026-11" → its start and end in China time; nullopt when malformed.
std::optional<PeriodRange> ParsePeriod(const std::string& p) {
    auto start = [](int y, int m) {
        char buf[11];
        std::snprintf(buf, sizeof buf, "%04d-%02d-01", y, m);
        return service::LocalDateStart(buf, kZone);
    };
    int year = 0, month = 0, quarter = 0;
    char tail = 0;
    std::optional<int64_t> a, b;
    if (p.size() == 4 && std::sscanf(p.c_str(), "%4d%c", &year, &tail) == 1) {
        a = start(year, 1), b = start(year + 1, 1);
    } else if (p.size() == 7 && p[4] == '-' && p[5] == 'Q' && std::sscanf(p.c_str(), "%4d-Q%1d", &year, &quarter) == 2 &&
               quarter >= 1 && quarter <= 4) {
        a = start(year, quarter * 3 - 2);
        b = quarter == 4 ? start(year + 1, 1) : start(year, quarter * 3 + 1);
    } else if (p.size() == 7 && p[4] == '-' && std::sscanf(p.c_str(), "%4d-%2d", &year, &month) == 2 && month >= 1 &&
               month <= 12) {
        a = start(year, month);
        b = month == 12 ? start(year + 1, 1) : start(year, month + 1);
    }
    if (!a || !b || year < 2000 || year > 2100) return std::nullopt;
    return PeriodRange{*a, *b};
}

Result<int64_t> Actual(RequestContext& ctx, const std::string& scope, int64_t subject, const std::string& metric,
                       const PeriodRange& range) {
    // A sale counts for its guide, else its cashier (as on the staff leaderboard).
    const std::string who = scope == "store" ? "s.store_id = ?" : "COALESCE(s.guide_id, s.cashier_id) = ?";
    Result<std::optional<storage::Row>> row = std::optional<storage::Row>();
    if (metric == "sales") {
        row = ctx.tx.QueryOne("SELECT COALESCE(SUM(s.total - s.refunded_amount), 0) FROM sales s WHERE " + who +
                                  " AND s.sold_at >= ? AND s.sold_at < ?",
                              {subject, range.from, range.to});
    } else if (metric == "new_members") {
        row = ctx.tx.QueryOne(std::string("SELECT COUNT(*) FROM members m WHERE ") +
                                  (scope == "store" ? "m.home_store_id = ?" : "m.created_by = ?") +
                                  " AND m.created_at >= ? AND m.created_at < ? AND m.status <> 'merged'",
                              {subject, range.from, range.to});
    } else {
        row = ctx.tx.QueryOne(
            "SELECT COUNT(DISTINCT s.member_id) FROM sales s WHERE " + who +
                " AND s.sold_at >= ? AND s.sold_at < ? AND s.member_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM sales p "
                "WHERE p.member_id = s.member_id AND p.sold_at < s.sold_at AND p.sold_at >= s.sold_at - ?) AND EXISTS "
                "(SELECT 1 FROM sales p WHERE p.member_id = s.member_id AND p.sold_at < s.sold_at - ?)",
            {subject, range.from, range.to, kReactivationDays * 86400, kReactivationDays * 86400});
    }
    if (!row.ok()) return row.take_error();
    return (*row)->Int(0);
}

bool CanSee(RequestContext& ctx, const std::string& scope, int64_t subject) {
    if (ctx.principal.all_stores) return true;
    if (scope == "store") return ctx.principal.CanAccessStore(subject);
    if (ctx.principal.StaffId() == subject) return true;
    auto stores = ctx.tx.Query("SELECT store_id FROM staff_stores WHERE staff_id = ?", {subject});
    if (!stores.ok()) return false;
    for (const auto& r : *stores) {
        if (ctx.principal.CanAccessStore(r.Int(0))) return true;
    }
    return false;
}

Result<http::Response> ListTargets(RequestContext& ctx) {
    const int64_t now = NowUnix();
    std::string period = ctx.request.QueryParam("period").value_or("");
    storage::Params params;
    std::string where = " WHERE 1 = 1";
    if (!period.empty()) {
        if (!ParsePeriod(period)) return Error::Field("period", "target.bad_period");
        where += " AND t.period = ?";
        params.emplace_back(period);
    }
    auto rows = ctx.tx.Query(
        "SELECT t.id, t.scope, t.subject_id, t.metric, t.period, t.target, t.version, CASE WHEN t.scope = 'store' THEN "
        "(SELECT name FROM stores WHERE id = t.subject_id) ELSE (SELECT name FROM staff WHERE id = t.subject_id) END "
        "FROM targets t" + where + " ORDER BY t.period DESC, t.scope, t.subject_id, t.metric",
        params);
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) {
        const std::string scope = r.Text(1);
        if (!CanSee(ctx, scope, r.Int(2))) continue;
        const auto range = ParsePeriod(r.Text(4));
        if (!range) continue;
        auto actual = Actual(ctx, scope, r.Int(2), r.Text(3), *range);
        if (!actual.ok()) return actual.take_error();
        const double target = static_cast<double>(r.Int(5));
        const double elapsed = std::clamp(static_cast<double>(now - range->from) / static_cast<double>(range->to - range->from), 0.0, 1.0);
        const double pct = 100.0 * static_cast<double>(*actual) / target;
        items.push_back({{"id", r.Int(0)},
                         {"scope", scope},
                         {"subject_id", r.Int(2)},
                         {"subject_name", r.Text(7)},
                         {"metric", r.Text(3)},
                         {"period", r.Text(4)},
                         {"target", r.Int(5)},
                         {"actual", *actual},
                         {"progress_pct", pct},
                         {"time_elapsed_pct", 100.0 * elapsed},
                         {"on_track", pct >= 100.0 * elapsed},
                         {"version", r.Int(6)}});
    }
    return http::JsonOk(json{{"items", items}, {"next_cursor", nullptr}, {"total", items.size()}});
}

// Sets a target (one per scope, subject, metric and period: setting it again replaces it).
Result<http::Response> SetTarget(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto scope = body->Choice("scope", {"store", "staff"}, true);
    auto subject = body->Int("subject_id", true, 1);
    auto metric = body->Choice("metric", {"sales", "new_members", "reactivated"}, true);
    auto period = body->Text("period", {.required = true, .max_chars = 7});
    auto target = body->Int("target", true, 1);
    if (period && !ParsePeriod(*period)) body->AddError("period", "target.bad_period");
    STORECRM_TRY(body->Finish());
    auto exists = ctx.tx.QueryOne(*scope == "store" ? "SELECT 1 FROM stores WHERE id = ?" : "SELECT 1 FROM staff WHERE id = ?",
                                  {*subject});
    if (!exists.ok()) return exists.take_error();
    if (!exists->has_value() || !CanSee(ctx, *scope, *subject)) return Error::Field("subject_id", "field.not_found");
    const int64_t now = NowUnix();
    auto row = ctx.tx.QueryOne(
        "INSERT INTO targets (scope, subject_id, metric, period, target, created_by, created_at, updated_at) VALUES (?, ?, ?, "
        "?, ?, ?, ?, ?) ON CONFLICT (scope, subject_id, metric, period) DO UPDATE SET target = excluded.target, updated_at = "
        "excluded.updated_at, version = targets.version + 1 RETURNING id",
        {*scope, *subject, *metric, *period, *target, ctx.principal.StaffId(), now, now});
    if (!row.ok()) return row.take_error();
    STORECRM_TRY(ctx.Audit({"target.set", "target", std::to_string((*row)->Int(0)),
                            json{{"scope", *scope}, {"subject_id", *subject}, {"metric", *metric}, {"period", *period},
                                 {"target", *target}}.dump()}));
    return http::JsonOk(json{{"id", (*row)->Int(0)}}, 201);
}

Result<http::Response> DeleteTarget(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto row = ctx.tx.QueryOne("SELECT scope, subject_id FROM targets WHERE id = ?", {*id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value() || !CanSee(ctx, (*row)->Text(0), (*row)->Int(1))) return Error::NotFound();
    STORECRM_TRY(ctx.tx.Exec("DELETE FROM targets WHERE id = ?", {*id}));
    STORECRM_TRY(ctx.Audit({"target.delete", "target", std::to_string(*id), ""}));
    return http::Response::NoContent();
}

}  // namespace

void RegisterTargetRoutes(http::Router& router) {
    using storage::TxMode;
    router.Add({.method = "GET", .pattern = "/api/v1/targets", .permission = "analytics.read", .tag = "targets",
                .summary = "Targets with progress (?period=2026 | 2026-Q4 | 2026-11)", .handler = ListTargets});
    router.Add({.method = "POST", .pattern = "/api/v1/targets", .permission = "targets.manage", .tx = TxMode::kWrite,
                .tag = "targets", .summary = "Set a target (replaces the same scope, subject, metric and period)",
                .handler = SetTarget});
    router.Add({.method = "DELETE", .pattern = "/api/v1/targets/{id}", .permission = "targets.manage",
                .tx = TxMode::kWrite, .tag = "targets", .summary = "Remove a target", .handler = DeleteTarget});
}

}  // namespace storecrm::marketing
