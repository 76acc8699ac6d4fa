// GET /analytics/satisfaction: NPS, CSAT, complaints and SLA compliance per store;
// GET /analytics/staff: the staff leaderboard — new members, sales, tasks done, members
// reactivated after a dormancy callback, customer satisfaction. Both from the database: these
// tables are small next to the sale lines.
#include <cmath>
#include <map>

#include <nlohmann/json.hpp>

#include "analytics/report_query.hpp"
#include "analytics/routes.hpp"
#include "common/clock.hpp"
#include "http/json_response.hpp"

namespace storecrm::analytics {
namespace {

using http::RequestContext;
using nlohmann::json;

int64_t From(const Period& p) { return DayStart(p.from_day); }
int64_t To(const Period& p) { return DayStart(p.to_day) + 86400; }

json Nps(int64_t promoters, int64_t detractors, int64_t answered) {
    return answered ? json(static_cast<int64_t>(std::llround(100.0 * static_cast<double>(promoters - detractors) /
                                                             static_cast<double>(answered))))
                    : json();
}

Result<http::Response> Satisfaction(RequestContext& ctx) {
    auto period = ReadPeriod(ctx, 30);
    if (!period.ok()) return period.take_error();
    storage::Params sp{From(*period), To(*period)};
    const std::string survey_scope = StoreInClause(*period, "a.store_id", sp);
    auto surveys = ctx.tx.Query(
        "SELECT a.store_id, COUNT(*), SUM(CASE WHEN a.nps >= 9 THEN 1 ELSE 0 END), SUM(CASE WHEN a.nps <= 6 THEN 1 ELSE 0 "
        "END), COUNT(a.nps), AVG(a.csat * 1.0), COUNT(a.csat) FROM survey_answers a WHERE a.created_at >= ? AND "
        "a.created_at < ?" + survey_scope + " GROUP BY a.store_id",
        sp);
    if (!surveys.ok()) return surveys.take_error();
    storage::Params cp{From(*period), To(*period)};
    const std::string complaint_scope = StoreInClause(*period, "c.store_id", cp);
    auto complaints = ctx.tx.Query(
        "SELECT c.store_id, COUNT(*), SUM(CASE WHEN c.response_breached = 0 THEN 1 ELSE 0 END), SUM(CASE WHEN "
        "c.resolution_breached = 0 THEN 1 ELSE 0 END), SUM(CASE WHEN c.status = 'closed' THEN 1 ELSE 0 END) FROM "
        "complaints c WHERE c.created_at >= ? AND c.created_at < ?" + complaint_scope + " GROUP BY c.store_id",
        cp);
    if (!complaints.ok()) return complaints.take_error();
    auto names = ctx.tx.Query("SELECT id, name FROM stores");
    if (!names.ok()) return names.take_error();
    std::map<int64_t, json> rows;
    for (const auto& r : *names) rows[r.Int(0)] = {{"store_id", r.Int(0)}, {"store_name", r.Text(1)}};
    int64_t answers = 0, promoters = 0, detractors = 0, nps_count = 0, csat_count = 0, total = 0, responded = 0, resolved = 0;
    double csat_sum = 0;
    std::map<int64_t, bool> seen;
    for (const auto& r : *surveys) {
        json& row = rows[r.Int(0)];
        seen[r.Int(0)] = true;
        row["answers"] = r.Int(1);
        row["nps"] = Nps(r.Int(2), r.Int(3), r.Int(4));
        row["csat"] = r.Int(6) ? json(std::round(r.Real(5) * 100) / 100) : json();
        answers += r.Int(1);
        promoters += r.Int(2);
        detractors += r.Int(3);
        nps_count += r.Int(4);
        csat_sum += r.Int(6) ? r.Real(5) * static_cast<double>(r.Int(6)) : 0;
        csat_count += r.Int(6);
    }
    for (const auto& r : *complaints) {
        json& row = rows[r.Int(0)];
        seen[r.Int(0)] = true;
        const int64_t n = r.Int(1);
        row["complaints"] = n;
        row["response_compliance_pct"] = std::round(1000.0 * static_cast<double>(r.Int(2)) / static_cast<double>(n)) / 10;
        row["resolution_compliance_pct"] = std::round(1000.0 * static_cast<double>(r.Int(3)) / static_cast<double>(n)) / 10;
        total += n;
        responded += r.Int(2);
        resolved += r.Int(3);
    }
    json stores = json::array();
    for (auto& [id, row] : rows) {
        if (!seen.count(id)) continue;
        for (const char* key : {"answers", "complaints"}) {
            if (!row.contains(key)) row[key] = 0;
        }
        for (const char* key : {"nps", "csat", "response_compliance_pct", "resolution_compliance_pct"}) {
            if (!row.contains(key)) row[key] = nullptr;
        }
        stores.push_back(row);
    }
    auto pct = [](int64_t k, int64_t n) { return n ? json(std::round(1000.0 * static_cast<double>(k) / static_cast<double>(n)) / 10) : json(); };
    return http::JsonOk({{"from", DayText(period->from_day)},
                         {"to", DayText(period->to_day)},
                         {"answers", answers},
                         {"nps", Nps(promoters, detractors, nps_count)},
                         {"csat", csat_count ? json(std::round(csat_sum / static_cast<double>(csat_count) * 100) / 100) : json()},
                         {"complaints", total},
                         {"response_compliance_pct", pct(responded, total)},
                         {"resolution_compliance_pct", pct(resolved, total)},
                         {"stores", stores}});
}

Result<http::Response> StaffLeaderboard(RequestContext& ctx) {
    auto period = ReadPeriod(ctx, 30);
    if (!period.ok()) return period.take_error();
    const int64_t from = From(*period), to = To(*period);
    std::map<int64_t, json> board;
    // Each query answers (staff id, count or amount[, sales count]).
    auto tally = [&](const std::string& sql, storage::Params params, const char* key) -> Status {
        auto rows = ctx.tx.Query(sql, params);
        if (!rows.ok()) return rows.take_error();
        for (const auto& r : *rows) {
            if (r.IsNull(0)) continue;
            board[r.Int(0)][key] = r.Int(1);
            if (r.size() > 2) board[r.Int(0)]["sales_count"] = r.Int(2);
        }
        return Ok();
    };
    {
        storage::Params p{from, to};
        const std::string scope = StoreInClause(*period, "m.home_store_id", p);
        STORECRM_TRY(tally("SELECT m.created_by, COUNT(*) FROM members m WHERE m.created_at >= ? AND m.created_at < ?" +
                               scope + " GROUP BY m.created_by",
                           p, "new_members"));
    }
    {
        // A sale counts for its guide when it had one, else for the cashier.
        storage::Params p{from, to};
        const std::string scope = StoreInClause(*period, "s.store_id", p);
        STORECRM_TRY(tally("SELECT COALESCE(s.guide_id, s.cashier_id), SUM(s.total - s.refunded_amount), COUNT(*) FROM "
                           "sales s WHERE s.sold_at >= ? AND s.sold_at < ?" + scope +
                               " GROUP BY COALESCE(s.guide_id, s.cashier_id)",
                           p, "sales_amount"));
    }
    {
        storage::Params p{from, to};
        const std::string scope = StoreInClause(*period, "t.store_id", p);
        STORECRM_TRY(tally("SELECT t.completed_by, COUNT(*) FROM tasks t WHERE t.status = 'done' AND t.completed_at >= ? "
                           "AND t.completed_at < ?" + scope + " GROUP BY t.completed_by",
                           p, "tasks_done"));
    }
    {
        // Reactivated: a dormancy callback in the period, and a purchase after it.
        storage::Params p{from, to, to};
        const std::string scope = StoreInClause(*period, "t.store_id", p);
        STORECRM_TRY(tally("SELECT t.assignee_id, COUNT(DISTINCT r.member_id) FROM reminders r JOIN tasks t ON t.id = "
                           "r.task_id WHERE r.kind = 'dormancy' AND r.created_at >= ? AND r.created_at < ? AND EXISTS "
                           "(SELECT 1 FROM sales s WHERE s.member_id = r.member_id AND s.sold_at > r.created_at AND "
                           "s.sold_at < ?)" + scope + " GROUP BY t.assignee_id",
                           p, "reactivated"));
    }
    {
        storage::Params p{from, to};
        const std::string scope = StoreInClause(*period, "a.store_id", p);
        auto rows = ctx.tx.Query("SELECT a.staff_id, AVG(a.csat * 1.0), COUNT(a.csat) FROM survey_answers a WHERE "
                                 "a.created_at >= ? AND a.created_at < ?" + scope + " GROUP BY a.staff_id",
                                 p);
        if (!rows.ok()) return rows.take_error();
        for (const auto& r : *rows) {
            if (r.IsNull(0) || !r.Int(2)) continue;
            board[r.Int(0)]["csat"] = std::round(r.Real(1) * 100) / 100;
        }
    }
    auto staff = ctx.tx.Query("SELECT s.id, s.name, r.code, r.name FROM staff s JOIN roles r ON r.id = s.role_id");
    if (!staff.ok()) return staff.take_error();
    json items = json::array();
    for (const auto& s : *staff) {
        auto it = board.find(s.Int(0));
        if (it == board.end()) continue;
        json row = it->second;
        row["staff_id"] = s.Int(0);
        row["name"] = s.Text(1);
        row["role_code"] = s.Text(2);
        row["role_name"] = s.Text(3);  // a renamed or custom role shows its own name
        for (const char* key : {"new_members", "sales_amount", "sales_count", "tasks_done", "reactivated"}) {
            if (!row.contains(key)) row[key] = 0;
        }
        if (!row.contains("csat")) row["csat"] = nullptr;
        items.push_back(row);
    }
    std::sort(items.begin(), items.end(), [](const json& a, const json& b) {
        return a["sales_amount"].get<int64_t>() != b["sales_amount"].get<int64_t>()
                   ? a["sales_amount"].get<int64_t>() > b["sales_amount"].get<int64_t>()
                   : a["staff_id"].get<int64_t>() < b["staff_id"].get<int64_t>();
    });
    if (WantsExport(ctx)) {
        std::vector<CsvRow> rows = {{"staff_id", "name", "sales_amount_fen", "sales_count", "new_members", "tasks_done",
                                     "reactivated", "csat"}};
        for (const auto& r : items) {
            rows.push_back({std::to_string(r["staff_id"].get<int64_t>()), r["name"].get<std::string>(),
                            std::to_string(r["sales_amount"].get<int64_t>()), std::to_string(r["sales_count"].get<int64_t>()),
                            std::to_string(r["new_members"].get<int64_t>()), std::to_string(r["tasks_done"].get<int64_t>()),
                            std::to_string(r["reactivated"].get<int64_t>()), r["csat"].is_null() ? "" : r["csat"].dump()});
        }
        return ExportRows(ctx, "staff", rows);
    }
    return http::JsonOk({{"from", DayText(period->from_day)}, {"to", DayText(period->to_day)}, {"items", items}});
}

}  // namespace

void RegisterPeopleRoutes(http::Router& router) {
    using storage::TxMode;
    router.Add({.method = "GET", .pattern = "/api/v1/analytics/satisfaction", .permission = "analytics.read",
                .tx = TxMode::kRead, .tag = "analytics", .summary = "NPS, CSAT, complaints and SLA compliance per store",
                .handler = Satisfaction});
    router.Add({.method = "GET", .pattern = "/api/v1/analytics/staff", .permission = "analytics.read", .tx = TxMode::kRead,
                .tag = "analytics", .summary = "Staff leaderboard: sales, new members, tasks, reactivations, CSAT",
                .handler = StaffLeaderboard});
}

}  // namespace storecrm::analytics
