// Tasks 跟进任务: lists with filters, "my work today" 我的待办, create, edit, complete, and the
// guide handover 导购交接 that moves a leaving guide's members and open tasks in one action.
#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "http/paging.hpp"
#include "service/business_hours.hpp"
#include "service/refs.hpp"
#include "service/routes.hpp"
#include "service/tasks.hpp"
#include "staff/staff_service.hpp"

namespace storecrm::service {
namespace {

using http::RequestContext;
using nlohmann::json;

// The caller's local day: the time zone of their first store (HQ staff: the chain default).
Result<std::string> CallerTimezone(RequestContext& ctx) {
    if (ctx.principal.store_ids.empty()) return std::string("Asia/Shanghai");
    return StoreTimezone(ctx.tx, ctx.principal.store_ids.front());
}

Result<http::Response> ListTasks(RequestContext& ctx) {
    auto page = http::ReadPage(ctx.request);
    if (!page.ok()) return page.take_error();
    storage::Params params;
    std::string where = " WHERE 1 = 1" + TaskScopeClause(ctx, params);
    const int64_t now = NowUnix();
    if (auto v = ctx.request.QueryParam("assignee_id"); v && !v->empty()) {
        where += " AND t.assignee_id = ?";
        params.emplace_back(*v == "me" ? ctx.principal.StaffId().value_or(0) : std::atoll(v->c_str()));
    }
    for (const char* column : {"store_id", "member_id"}) {
        if (auto v = ctx.request.QueryParam(column); v && !v->empty()) {
            where += std::string(" AND t.") + column + " = ?";
            params.emplace_back(static_cast<int64_t>(std::atoll(v->c_str())));
        }
    }
    for (const char* column : {"status", "origin", "priority"}) {
        if (auto v = ctx.request.QueryParam(column); v && !v->empty()) {
            where += std::string(" AND t.") + column + " = ?";
            params.emplace_back(*v);
        }
    }
    if (auto v = ctx.request.QueryParam("escalated"); v && *v == "true") where += " AND t.escalated_to IS NOT NULL";
    if (auto v = ctx.request.QueryParam("completed"); v && !v->empty() && *v != "today") {
        return Error::Field("completed", "field.invalid_choice", {{"choices", "today"}});
    } else if (v && *v == "today") {
        // Finished (done or skipped) since the caller's local midnight.
        auto tz = CallerTimezone(ctx);
        if (!tz.ok()) return tz.take_error();
        where += " AND t.status <> 'open' AND t.completed_at >= ?";
        params.emplace_back(LocalDayStart(now, *tz));
    }
    if (auto due = ctx.request.QueryParam("due"); due && !due->empty()) {
        auto tz = CallerTimezone(ctx);
        if (!tz.ok()) return tz.take_error();
        const int64_t end_of_today = LocalDayStart(now, *tz, 1);
        where += " AND t.status = 'open'";
        if (*due == "overdue") {
            where += " AND t.due_at < ?";
            params.emplace_back(now);
        } else if (*due == "today") {
            where += " AND t.due_at >= ? AND t.due_at < ?";
            params.emplace_back(now);
            params.emplace_back(end_of_today);
        } else if (*due == "upcoming") {
            where += " AND t.due_at >= ?";
            params.emplace_back(end_of_today);
        } else {
            return Error::Field("due", "field.invalid_choice", {{"choices", "today, overdue, upcoming"}});
        }
    }
    auto total = ctx.tx.QueryOne("SELECT COUNT(*) FROM tasks t" + where, params);
    if (!total.ok()) return total.take_error();
    params.emplace_back(page->limit);
    params.emplace_back(page->offset);
    auto rows = ctx.tx.Query(std::string(kTaskSelect) + where + " ORDER BY t.due_at, t.id LIMIT ? OFFSET ?", params);
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) items.push_back(TaskJson(ctx, r, now));
    return http::PageResponse(std::move(items), page->NextCursor((*total)->Int(0)), (*total)->Int(0));
}

// GET /tasks/today: my overdue and today's tasks, unassigned ones of my stores due today.
Result<http::Response> TasksToday(RequestContext& ctx) {
    auto tz = CallerTimezone(ctx);
    if (!tz.ok()) return tz.take_error();
    const int64_t now = NowUnix();
    const int64_t today_start = LocalDayStart(now, *tz);
    const int64_t today_end = LocalDayStart(now, *tz, 1);
    const int64_t me = ctx.principal.StaffId().value_or(0);
    auto list = [&](const std::string& condition, storage::Params params) -> Result<json> {
        std::string scope = security::StoreScopeClause(ctx.principal, "t.store_id", params);
        auto rows = ctx.tx.Query(std::string(kTaskSelect) + " WHERE t.status = 'open' AND " + condition + scope +
                                     " ORDER BY t.due_at, t.id LIMIT 200",
                                 params);
        if (!rows.ok()) return rows.take_error();
        json items = json::array();
        for (const auto& r : *rows) items.push_back(TaskJson(ctx, r, now));
        return items;
    };
    auto overdue = list("t.assignee_id = ? AND t.due_at < ?", {me, now});
    if (!overdue.ok()) return overdue.take_error();
    auto today = list("t.assignee_id = ? AND t.due_at >= ? AND t.due_at < ?", {me, now, today_end});
    if (!today.ok()) return today.take_error();
    auto unassigned = list("t.assignee_id IS NULL AND t.due_at < ?", {today_end});
    if (!unassigned.ok()) return unassigned.take_error();
    auto done = ctx.tx.QueryOne("SELECT COUNT(*) FROM tasks WHERE completed_by = ? AND completed_at >= ?", {me, today_start});
    if (!done.ok()) return done.take_error();
    return http::JsonOk({{"overdue", *overdue},
                         {"today", *today},
                         {"unassigned", *unassigned},
                         {"done_today", (*done)->Int(0)},
                         {"date", FormatIsoUtc(today_start)}});
}

// An assignee must be active staff who can see the task's store.
Status CheckAssignee(RequestContext& ctx, http::BodyReader& body, const std::string& field, int64_t assignee,
                     int64_t store_id) {
    auto row = ctx.tx.QueryOne(
        "SELECT s.id FROM staff s JOIN roles r ON r.id = s.role_id WHERE s.id = ? AND s.status = 'active' AND "
        "(r.all_stores = 1 OR EXISTS (SELECT 1 FROM staff_stores ss WHERE ss.staff_id = s.id AND ss.store_id = ?))",
        {assignee, store_id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) body.AddError(field, "task.assignee_not_in_store");
    if (assignee != ctx.principal.StaffId().value_or(0) && !ctx.principal.Has("tasks.manage")) {
        body.AddError(field, "task.assign_needs_permission");
    }
    return Ok();
}

Result<http::Response> CreateTaskRoute(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    NewTask t;
    t.title = body->Text("title", {.required = true, .max_chars = 200, .min_chars = 1}).value_or("");
    t.details = body->Text("details", {.max_chars = 2000, .multiline = true}).value_or("");
    t.member_id = body->Int("member_id", false, 1);
    auto store_id = body->Int("store_id", false, 1);
    t.assignee_id = body->Int("assignee_id", false, 1);
    auto due = body->Text("due_at", {.required = true, .max_chars = 25});
    t.priority = body->Choice("priority", {"low", "normal", "high", "urgent"}).value_or("normal");
    if (t.member_id) {
        auto m = ctx.tx.QueryOne("SELECT home_store_id FROM members WHERE id = ? AND status = 'active'", {*t.member_id});
        if (!m.ok()) return m.take_error();
        if (!m->has_value() || !ctx.principal.CanAccessStore((*m)->Int(0))) {
            body->AddError("member_id", "field.not_found");
        } else if (!store_id) {
            store_id = (*m)->Int(0);
        }
    }
    if (!store_id && !ctx.principal.all_stores && ctx.principal.store_ids.size() == 1) store_id = ctx.principal.store_ids[0];
    if (!store_id) {
        if (!t.member_id) body->AddError("store_id", "field.required");
    } else if (!ctx.principal.CanAccessStore(*store_id)) {
        body->AddError("store_id", "field.store_out_of_scope");
    }
    if (!t.assignee_id) t.assignee_id = ctx.principal.StaffId();
    if (store_id && t.assignee_id) STORECRM_TRY(CheckAssignee(ctx, *body, "assignee_id", *t.assignee_id, *store_id));
    if (due && store_id) {
        auto tz = StoreTimezone(ctx.tx, *store_id);
        if (!tz.ok()) return tz.take_error();
        if (auto at = ParseDueTime(*due, *tz)) {
            t.due_at = *at;
        } else {
            body->AddError("due_at", "field.invalid_datetime");
        }
    }
    STORECRM_TRY(body->Finish());
    t.store_id = *store_id;
    t.created_by = ctx.principal.StaffId();
    auto id = CreateTask(ctx.tx, t, NowUnix());
    if (!id.ok()) return id.take_error();
    STORECRM_TRY(ctx.Audit({"task.create", "task", std::to_string(*id), json({{"title", t.title}}).dump()}));
    auto saved = LoadVisibleTask(ctx, *id);
    if (!saved.ok()) return saved.take_error();
    return http::JsonOk(*saved, 201);
}

Result<http::Response> UpdateTask(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto current = LoadVisibleTask(ctx, *id);
    if (!current.ok()) return current.take_error();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto version = body->Int("version", true, 1);
    json t = *current;
    const int64_t store_id = t["store_id"].get<int64_t>();
    if (auto v = body->Text("title", {.max_chars = 200, .min_chars = 1})) t["title"] = *v;
    if (auto v = body->Text("details", {.max_chars = 2000, .multiline = true})) t["details"] = *v;
    if (auto v = body->Choice("priority", {"low", "normal", "high", "urgent"})) t["priority"] = *v;
    std::optional<int64_t> due_at = ParseIsoDateTime(t["due_at"].get<std::string>());
    if (auto v = body->Text("due_at", {.max_chars = 25})) {
        auto tz = StoreTimezone(ctx.tx, store_id);
        if (!tz.ok()) return tz.take_error();
        due_at = ParseDueTime(*v, *tz);
        if (!due_at) body->AddError("due_at", "field.invalid_datetime");
    }
    std::optional<int64_t> assignee = t["assignee"].is_null() ? std::nullopt : std::optional<int64_t>(t["assignee"]["id"]);
    if (auto v = body->Int("assignee_id", false, 1)) {
        assignee = *v;
        STORECRM_TRY(CheckAssignee(ctx, *body, "assignee_id", *v, store_id));
    }
    STORECRM_TRY(body->Finish());
    STORECRM_TRY(http::CheckVersion(*version, *current));
    if ((*current)["status"] != "open") return Error::Field("status", "task.not_open");
    STORECRM_TRY(ctx.tx.Exec(
        "UPDATE tasks SET title = ?, details = ?, priority = ?, due_at = ?, assignee_id = ?, version = version + 1, "
        "updated_at = ? WHERE id = ?",
        {t["title"].get<std::string>(), t["details"].get<std::string>(), t["priority"].get<std::string>(), due_at,
         assignee, NowUnix(), *id}));
    STORECRM_TRY(ctx.Audit({"task.update", "task", std::to_string(*id), ""}));
    auto saved = LoadVisibleTask(ctx, *id);
    if (!saved.ok()) return saved.take_error();
    return http::JsonOk(*saved);
}

Result<http::Response> CompleteTaskRoute(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto status = body->Choice("status", {"done", "skipped"}, true);
    auto outcome = body->Text("outcome", {.required = true, .max_chars = 1000, .min_chars = 1, .multiline = true});
    auto version = body->Int("version", false, 1);
    STORECRM_TRY(body->Finish());
    STORECRM_TRY(CompleteTask(ctx, *id, *status, *outcome, version.value_or(0)));
    auto saved = LoadVisibleTask(ctx, *id);
    if (!saved.ok()) return saved.take_error();
    return http::JsonOk(*saved);
}

// POST /staff/{id}/handover {to_staff_id, note}: every member this guide looks after and every
// open task of theirs goes to the colleague; each member's history records the change.
Result<http::Response> Handover(RequestContext& ctx) {
    auto from = ctx.PathId();
    if (!from.ok()) return from.take_error();
    storage::Params from_params{*from};
    const std::string from_scope = staff::StaffScopeClause(ctx.principal, "id", from_params);
    auto from_row = ctx.tx.QueryOne("SELECT name FROM staff WHERE id = ?" + from_scope, from_params);
    if (!from_row.ok()) return from_row.take_error();
    if (!from_row->has_value()) return Error::NotFound();  // or another store's: the same to the caller
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto to = body->Int("to_staff_id", true, 1);
    auto note = body->Text("note", {.max_chars = 500, .multiline = true}).value_or("");
    std::string to_name;
    if (to) {
        storage::Params to_params{*to};
        const std::string to_scope = staff::StaffScopeClause(ctx.principal, "id", to_params);
        auto row = ctx.tx.QueryOne("SELECT name FROM staff WHERE id = ? AND status = 'active'" + to_scope, to_params);
        if (!row.ok()) return row.take_error();
        if (!row->has_value()) {
            body->AddError("to_staff_id", "field.not_found");
        } else if (*to == *from) {
            body->AddError("to_staff_id", "handover.same_person");
        } else {
            to_name = (*row)->Text(0);
        }
    }
    STORECRM_TRY(body->Finish());
    storage::Params scope_params{*from};
    const std::string scope = security::StoreScopeClause(ctx.principal, "home_store_id", scope_params);
    auto members = ctx.tx.Query("SELECT id FROM members WHERE guide_id = ?" + scope, scope_params);
    if (!members.ok()) return members.take_error();
    const int64_t now = NowUnix();
    const std::string actor_name = ctx.principal.name;
    for (const auto& m : *members) {
        STORECRM_TRY(ctx.tx.Exec("UPDATE members SET guide_id = ?, version = version + 1, updated_at = ? WHERE id = ?",
                                 {*to, now, m.Int(0)}));
        STORECRM_TRY(ctx.tx.Exec(
            "INSERT INTO member_history (member_id, at, actor_id, actor_name, field, old_value, new_value) VALUES "
            "(?, ?, ?, ?, 'guide_id', ?, ?)",
            {m.Int(0), now, ctx.principal.StaffId(), actor_name, std::to_string(*from), std::to_string(*to)}));
    }
    storage::Params task_params{*to, now, *from};
    const std::string task_scope = security::StoreScopeClause(ctx.principal, "store_id", task_params);
    auto tasks = ctx.tx.Exec("UPDATE tasks SET assignee_id = ?, version = version + 1, updated_at = ? WHERE assignee_id = ? "
                             "AND status = 'open'" + task_scope,
                             task_params);
    if (!tasks.ok()) return tasks.take_error();
    auto row = ctx.tx.QueryOne(
        "INSERT INTO guide_handovers (from_staff_id, to_staff_id, members_moved, tasks_moved, note, created_by, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {*from, *to, static_cast<int64_t>(members->size()), tasks->changes, note, ctx.principal.StaffId(), now});
    if (!row.ok()) return row.take_error();
    json out = {{"id", (*row)->Int(0)}, {"members_moved", members->size()}, {"tasks_moved", tasks->changes}};
    STORECRM_TRY(ctx.Audit({"staff.handover", "staff", std::to_string(*from),
                            json({{"to", *to}, {"members", members->size()}, {"tasks", tasks->changes}}).dump()}));
    return http::JsonOk(out, 201);
}

Result<http::Response> ListHandovers(RequestContext& ctx) {
    auto page = http::ReadPage(ctx.request);
    if (!page.ok()) return page.take_error();
    storage::Params params;
    const std::string scope = staff::StaffScopeClause(ctx.principal, "h.from_staff_id", params);
    auto total = ctx.tx.QueryOne("SELECT COUNT(*) FROM guide_handovers h WHERE 1 = 1" + scope, params);
    if (!total.ok()) return total.take_error();
    params.push_back(page->limit);
    params.push_back(page->offset);
    auto rows = ctx.tx.Query(
        "SELECT h.id, h.from_staff_id, f.name, h.to_staff_id, t.name, h.members_moved, h.tasks_moved, h.note, "
        "h.created_by, c.name, h.created_at FROM guide_handovers h JOIN staff f ON f.id = h.from_staff_id "
        "JOIN staff t ON t.id = h.to_staff_id LEFT JOIN staff c ON c.id = h.created_by WHERE 1 = 1" + scope +
            " ORDER BY h.id DESC LIMIT ? OFFSET ?",
        params);
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) {
        items.push_back({{"id", r.Int(0)}, {"from", StaffRef(r, 1, 2)}, {"to", StaffRef(r, 3, 4)},
                         {"members_moved", r.Int(5)}, {"tasks_moved", r.Int(6)}, {"note", r.Text(7)},
                         {"created_by", StaffRef(r, 8, 9)}, {"created_at", FormatIsoUtc(r.Int(10))}});
    }
    return http::PageResponse(std::move(items), page->NextCursor((*total)->Int(0)), (*total)->Int(0));
}

}  // namespace

void RegisterTaskRoutes(http::Router& router) {
    using storage::TxMode;
    router.Add({.method = "GET", .pattern = "/api/v1/tasks", .permission = "service.use", .tx = TxMode::kRead,
                .tag = "service", .summary = "Follow-up tasks (?assignee_id=me&status&due=today|overdue|upcoming…)",
                .handler = ListTasks});
    router.Add({.method = "GET", .pattern = "/api/v1/tasks/today", .permission = "service.use", .tx = TxMode::kRead,
                .tag = "service", .summary = "My work today 我的待办", .handler = TasksToday});
    router.Add({.method = "POST", .pattern = "/api/v1/tasks", .permission = "service.use", .tx = TxMode::kWrite,
                .tag = "service", .summary = "Create a task", .handler = CreateTaskRoute});
    router.Add({.method = "PUT", .pattern = "/api/v1/tasks/{id}", .permission = "service.use", .tx = TxMode::kWrite,
                .tag = "service", .summary = "Edit or reassign a task (send version)", .handler = UpdateTask});
    router.Add({.method = "POST", .pattern = "/api/v1/tasks/{id}/complete", .permission = "service.use",
                .tx = TxMode::kWrite, .tag = "service", .summary = "Finish a task as done or skipped, with the outcome",
                .handler = CompleteTaskRoute});
    router.Add({.method = "POST", .pattern = "/api/v1/staff/{id}/handover", .permission = "tasks.manage",
                .tx = TxMode::kWrite, .tag = "service",
                .summary = "Guide handover 导购交接: members and open tasks to a colleague", .handler = Handover});
    router.Add({.method = "GET", .pattern = "/api/v1/handovers", .permission = "tasks.manage", .tx = TxMode::kRead,
                .tag = "service", .summary = "Past guide handovers", .handler = ListHandovers});
}

}  // namespace storecrm::service
