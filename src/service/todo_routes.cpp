// The dashboard's to-dos 待办 for whoever signs in: today's birthdays, my tasks, complaints near
// or past their deadline, and the dormant members of my stores.
#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "http/json_response.hpp"
#include "loyalty/local_time.hpp"
#include "service/business_hours.hpp"
#include "service/refs.hpp"
#include "service/routes.hpp"
#include "service/service_settings.hpp"
#include "service/tasks.hpp"

namespace storecrm::service {
namespace {

using http::RequestContext;
using nlohmann::json;

constexpr int64_t kSoonSeconds = 30 * 60;
constexpr size_t kListMax = 20;

Result<json> BirthdaysToday(RequestContext& ctx, const std::string& timezone, int64_t now) {
    const std::string today = loyalty::LocalDate(now, timezone);
    storage::Params params{static_cast<int64_t>(std::stoi(today.substr(5, 2)))};
    const std::string scope = security::StoreScopeClause(ctx.principal, "m.home_store_id", params);
    auto rows = ctx.tx.Query("SELECT " + MemberRefColumns("m") +
                                 ", m.birthday_enc FROM members m WHERE m.status = 'active' AND m.birth_month = ?" + scope +
                                 " ORDER BY m.id",
                             params);
    if (!rows.ok()) return rows.take_error();
    json out = json::array();
    for (const auto& r : *rows) {
        auto birthday = ctx.services.vault->Decrypt(r.BlobBytes(kMemberRefWidth));
        if (!birthday || birthday->size() != 10 || birthday->substr(5) != today.substr(5)) continue;
        out.push_back(MemberRef(ctx, r, 0));
        if (out.size() >= kListMax) break;
    }
    return out;
}

Result<json> MyTasks(RequestContext& ctx, const std::string& timezone, int64_t now) {
    const int64_t me = ctx.principal.StaffId().value_or(0);
    const int64_t end_of_day = LocalDayStart(now, timezone, 1);
    auto counts = ctx.tx.QueryOne(
        "SELECT SUM(CASE WHEN due_at < ? THEN 1 ELSE 0 END), SUM(CASE WHEN due_at >= ? AND due_at < ? THEN 1 ELSE 0 END) "
        "FROM tasks WHERE assignee_id = ? AND status = 'open'",
        {now, now, end_of_day, me});
    if (!counts.ok()) return counts.take_error();
    auto rows = ctx.tx.Query(std::string(kTaskSelect) + " WHERE t.assignee_id = ? AND t.status = 'open' AND t.due_at < ? "
                                                        "ORDER BY t.due_at, t.id LIMIT ?",
                             {me, end_of_day, static_cast<int64_t>(kListMax)});
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) items.push_back(TaskJson(ctx, r, now));
    return json{{"overdue", (*counts)->Int(0)}, {"today", (*counts)->Int(1)}, {"items", items}};
}

Result<json> UrgentComplaints(RequestContext& ctx, int64_t now) {
    json out = json::array();
    if (!ctx.principal.Has("complaints.handle")) return out;
    storage::Params params{now + kSoonSeconds, now + kSoonSeconds};
    const std::string scope = security::StoreScopeClause(ctx.principal, "c.store_id", params);
    auto rows = ctx.tx.Query(
        "SELECT c.id, st.name, c.category, c.severity, c.status, CASE WHEN c.status = 'new' AND c.response_due_at < "
        "c.resolution_due_at THEN c.response_due_at ELSE c.resolution_due_at END AS due, c.escalation_level "
        "FROM complaints c JOIN stores st ON st.id = c.store_id WHERE c.status IN ('new', 'acknowledged', 'investigating') "
        "AND ((c.status = 'new' AND c.response_due_at < ?) OR c.resolution_due_at < ?)" + scope +
            " ORDER BY due, c.id LIMIT " + std::to_string(kListMax),
        params);
    if (!rows.ok()) return rows.take_error();
    for (const auto& r : *rows) {
        out.push_back({{"id", r.Int(0)}, {"store_name", r.Text(1)}, {"category", r.Text(2)}, {"severity", r.Text(3)},
                       {"status", r.Text(4)}, {"due_at", FormatIsoUtc(r.Int(5))}, {"breached", r.Int(5) < now},
                       {"escalation_level", r.Int(6)}});
    }
    return out;
}

Result<json> Dormant(RequestContext& ctx, int64_t now) {
    auto settings = LoadServiceSettings(ctx.tx);
    if (!settings.ok()) return settings.take_error();
    if (settings->dormancy_days <= 0) return json{{"count", 0}, {"days", 0}, {"items", json::array()}};
    storage::Params params{now - settings->dormancy_days * 86400};
    const std::string where = " WHERE m.status = 'active' AND COALESCE(m.last_purchase_at, m.created_at) < ?" +
                              security::StoreScopeClause(ctx.principal, "m.home_store_id", params);
    auto count = ctx.tx.QueryOne("SELECT COUNT(*) FROM members m" + where, params);
    if (!count.ok()) return count.take_error();
    auto rows = ctx.tx.Query("SELECT " + MemberRefColumns("m") + " FROM members m" + where +
                                 " ORDER BY COALESCE(m.last_purchase_at, m.created_at) LIMIT " + std::to_string(kListMax),
                             params);
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) items.push_back(MemberRef(ctx, r, 0));
    return json{{"count", (*count)->Int(0)}, {"days", settings->dormancy_days}, {"items", items}};
}

Result<http::Response> Todos(RequestContext& ctx) {
    const int64_t now = NowUnix();
    std::string timezone = "Asia/Shanghai";
    if (!ctx.principal.store_ids.empty()) {
        auto tz = StoreTimezone(ctx.tx, ctx.principal.store_ids.front());
        if (!tz.ok()) return tz.take_error();
        timezone = *tz;
    }
    json out;
    if (ctx.principal.Has("members.read")) {
        auto birthdays = BirthdaysToday(ctx, timezone, now);
        if (!birthdays.ok()) return birthdays.take_error();
        out["birthdays_today"] = *birthdays;
        auto dormant = Dormant(ctx, now);
        if (!dormant.ok()) return dormant.take_error();
        out["dormant"] = *dormant;
    } else {
        out["birthdays_today"] = json::array();
        out["dormant"] = {{"count", 0}, {"days", 0}, {"items", json::array()}};
    }
    auto tasks = MyTasks(ctx, timezone, now);
    if (!tasks.ok()) return tasks.take_error();
    out["tasks"] = *tasks;
    auto complaints = UrgentComplaints(ctx, now);
    if (!complaints.ok()) return complaints.take_error();
    out["complaints"] = *complaints;
    out["now"] = FormatIsoUtc(now);
    return http::JsonOk(out);
}

}  // namespace

void RegisterTodoRoutes(http::Router& router) {
    router.Add({.method = "GET", .pattern = "/api/v1/todos", .permission = http::kSignedIn, .tx = storage::TxMode::kRead,
                .tag = "service", .summary = "The dashboard's to-dos for the caller and their role", .handler = Todos});
}

}  // namespace storecrm::service
