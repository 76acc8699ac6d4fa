#include "service/tasks.hpp"

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/messages.hpp"
#include "http/json_response.hpp"
#include "service/refs.hpp"

namespace storecrm::service {

using nlohmann::json;

const char* const kTaskSelect =
    "SELECT t.id, t.store_id, m.id, m.member_no, m.name, m.phone_masked, m.phone_enc, t.assignee_id, a.name, t.title, "
    "t.details, t.due_at, t.priority, t.origin, t.origin_ref, t.status, t.outcome, t.completed_at, t.completed_by, "
    "cb.name, t.escalated_to, e.name, t.escalated_at, t.created_at, t.version, t.title_key, t.title_args FROM tasks t "
    "LEFT JOIN members m ON m.id = t.member_id LEFT JOIN staff a ON a.id = t.assignee_id "
    "LEFT JOIN staff cb ON cb.id = t.completed_by LEFT JOIN staff e ON e.id = t.escalated_to";

namespace {

json OptTime(const storage::Row& r, int i) { return r.IsNull(i) ? json() : json(FormatIsoUtc(r.Int(i))); }

// Complaint escalation tasks keep the reason as a code (see EscalateComplaint).
std::string TaskDetails(const storage::Row& r, Locale locale) {
    const std::string details = r.Text(10);
    if (r.Text(13) == "complaint" && HasMessage("complaint.escalation." + details)) {
        return Render("complaint.escalation." + details, locale);
    }
    return details;
}

}  // namespace

std::string TaskTitle(const std::string& stored_title, const std::string& title_key, const std::string& title_args,
                      Locale locale) {
    if (title_key.empty() || !HasMessage(title_key)) return stored_title;
    Message message{title_key, {}};
    auto args = json::parse(title_args, nullptr, false);
    if (args.is_object()) {
        for (const auto& [name, value] : args.items()) {
            message.args.emplace_back(name, value.is_string() ? value.get<std::string>() : value.dump());
        }
    }
    return Render(message, locale);
}

json TaskJson(const http::RequestContext& ctx, const storage::Row& r, int64_t now) {
    return {{"id", r.Int(0)},
            {"store_id", r.Int(1)},
            {"member", MemberRef(ctx, r, 2)},
            {"assignee", StaffRef(r, 7, 8)},
            {"title", TaskTitle(r.Text(9), r.Text(25), r.Text(26), ctx.locale)},
            {"details", TaskDetails(r, ctx.locale)},
            {"due_at", FormatIsoUtc(r.Int(11))},
            {"priority", r.Text(12)},
            {"origin", r.Text(13)},
            {"origin_ref", r.Text(14)},
            {"status", r.Text(15)},
            {"outcome", r.Text(16)},
            {"completed_at", OptTime(r, 17)},
            {"completed_by", StaffRef(r, 18, 19)},
            {"overdue", r.Text(15) == "open" && r.Int(11) < now},
            {"escalated_to", StaffRef(r, 20, 21)},
            {"escalated_at", OptTime(r, 22)},
            {"created_at", FormatIsoUtc(r.Int(23))},
            {"version", r.Int(24)}};
}

Result<int64_t> CreateTask(storage::Transaction& tx, const NewTask& t, int64_t now) {
    std::string title = t.title, title_key;
    json title_args = json::object();
    if (t.title_message) {
        title = Render(*t.title_message, Locale::kZhCN);
        title_key = t.title_message->key;
        for (const auto& [name, value] : t.title_message->args) title_args[name] = value;
    }
    auto row = tx.QueryOne(
        "INSERT INTO tasks (store_id, member_id, assignee_id, title, title_key, title_args, details, due_at, priority, "
        "origin, origin_ref, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "RETURNING id",
        {t.store_id, t.member_id, t.assignee_id, title, title_key, title_args.dump(), t.details, t.due_at, t.priority,
         t.origin, t.origin_ref, t.created_by, now, now});
    if (!row.ok()) return row.take_error();
    return (*row)->Int(0);
}

std::string TaskScopeClause(const http::RequestContext& ctx, storage::Params& params) {
    std::string clause = security::StoreScopeClause(ctx.principal, "t.store_id", params);
    if (!ctx.principal.Has("tasks.manage")) {
        clause += " AND (t.assignee_id = ? OR t.assignee_id IS NULL)";
        params.emplace_back(ctx.principal.StaffId().value_or(0));
    }
    return clause;
}

Result<json> LoadVisibleTask(http::RequestContext& ctx, int64_t id) {
    storage::Params params{id};
    const std::string scope = TaskScopeClause(ctx, params);
    auto row = ctx.tx.QueryOne(std::string(kTaskSelect) + " WHERE t.id = ?" + scope, params);
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Error::NotFound();
    return TaskJson(ctx, **row, NowUnix());
}

Status CompleteTask(http::RequestContext& ctx, int64_t id, const std::string& status, const std::string& outcome,
                    int64_t expected_version) {
    auto task = LoadVisibleTask(ctx, id);
    if (!task.ok()) return task.take_error();
    if (expected_version) STORECRM_TRY(http::CheckVersion(expected_version, *task));
    if ((*task)["status"] != "open") return Error::Field("status", "task.not_open");
    STORECRM_TRY(ctx.tx.Exec(
        "UPDATE tasks SET status = ?, outcome = ?, completed_at = ?, completed_by = ?, version = version + 1, "
        "updated_at = ? WHERE id = ?",
        {status, outcome, NowUnix(), ctx.principal.StaffId(), NowUnix(), id}));
    return ctx.Audit({"task." + status, "task", std::to_string(id), json({{"outcome", outcome}}).dump()});
}

Result<std::optional<int64_t>> StoreManagerOf(storage::Transaction& tx, int64_t store_id, const std::string& role_code) {
    auto row = tx.QueryOne(
        "SELECT s.id FROM staff s JOIN roles r ON r.id = s.role_id JOIN staff_stores ss ON ss.staff_id = s.id "
        "WHERE r.code = ? AND s.status = 'active' AND ss.store_id = ? ORDER BY s.id LIMIT 1",
        {role_code, store_id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return std::optional<int64_t>();
    return std::optional<int64_t>((*row)->Int(0));
}

}  // namespace storecrm::service
