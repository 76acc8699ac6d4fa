#include "service/complaints.hpp"

#include <algorithm>
#include <map>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "service/business_hours.hpp"
#include "service/tasks.hpp"
#include "jobs/domain_events.hpp"

namespace storecrm::service {

Result<Deadlines> ComplaintDeadlines(storage::Transaction& tx, const ServiceSettings& settings, int64_t store_id,
                                     const std::string& channel, const std::string& severity, int64_t created_at) {
    auto row = tx.QueryOne("SELECT timezone, opens_at, closes_at FROM stores WHERE id = ?", {store_id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Error::NotFound();
    BusinessHours hours{ParseClock((*row)->Text(1)).value_or(9 * 60), ParseClock((*row)->Text(2)).value_or(22 * 60),
                        (*row)->Text(0)};
    auto minutes = [](const std::map<std::string, int64_t>& m, const std::string& key, int64_t fallback) {
        auto it = m.find(key);
        return it == m.end() ? fallback : it->second;
    };
    return Deadlines{AddBusinessMinutes(created_at, minutes(settings.sla_response_minutes, channel, 60), hours),
                     AddBusinessMinutes(created_at, minutes(settings.sla_resolution_hours, severity, 48) * 60, hours)};
}

bool IsAllowedTransition(const std::string& from, const std::string& to) {
    static const std::map<std::string, std::vector<std::string>> flow = {
        {"new", {"acknowledged", "investigating"}},
        {"acknowledged", {"investigating"}},
        {"investigating", {"resolved"}},
        {"resolved", {"follow_up"}},
        {"follow_up", {"closed"}},
    };
    auto it = flow.find(from);
    return it != flow.end() && std::find(it->second.begin(), it->second.end(), to) != it->second.end();
}

Status AddComplaintEvent(storage::Transaction& tx, int64_t complaint_id, const std::string& kind,
                         const std::string& from_status, const std::string& to_status, const std::string& note,
                         std::optional<int64_t> staff_id, int64_t now) {
    STORECRM_TRY(tx.Exec(
        "INSERT INTO complaint_events (complaint_id, kind, from_status, to_status, note, staff_id, created_at) VALUES "
        "(?, ?, ?, ?, ?, ?, ?)",
        {complaint_id, kind, from_status, to_status, note, staff_id, now}));
    return Ok();
}

Status EscalateComplaint(storage::Transaction& tx, int64_t complaint_id, const std::string& reason, int64_t now) {
    auto row = tx.QueryOne("SELECT store_id, member_id, category, escalation_level FROM complaints WHERE id = ?", {complaint_id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value() || (*row)->Int(3) > 0) return Ok();
    const int64_t store_id = (*row)->Int(0);
    auto manager = StoreManagerOf(tx, store_id, "regional_manager");
    if (!manager.ok()) return manager.take_error();
    STORECRM_TRY(tx.Exec(
        "UPDATE complaints SET escalation_level = 1, escalated_to = ?, version = version + 1, updated_at = ? WHERE id = ?",
        {*manager, now, complaint_id}));
    STORECRM_TRY(AddComplaintEvent(tx, complaint_id, "escalated", "", "", reason, std::nullopt, now));
    STORECRM_TRY(jobs::PublishEvent(tx, "complaint.escalated", complaint_id,
                                    {{"complaint_id", complaint_id}, {"store_id", store_id}, {"level", 1}, {"reason", reason}}, now));
    NewTask task{.store_id = store_id,
                 .member_id = (*row)->IsNull(1) ? std::nullopt : std::optional<int64_t>((*row)->Int(1)),
                 .assignee_id = *manager,
                 .title_message = Message{"task.title.complaint_" + reason, {{"id", std::to_string(complaint_id)}}},
                 .details = reason,
                 .due_at = now + 3600,
                 .priority = "urgent",
                 .origin = "complaint",
                 .origin_ref = "complaint:" + std::to_string(complaint_id)};
    auto id = CreateTask(tx, task, now);
    return id.ok() ? Ok() : Status(id.take_error());
}

Result<int64_t> CheckComplaintSla(storage::Transaction& tx, int64_t now) {
    int64_t breached = 0;
    auto late_response = tx.Query(
        "SELECT id FROM complaints WHERE status = 'new' AND response_breached = 0 AND response_due_at < ? ORDER BY id", {now});
    if (!late_response.ok()) return late_response.take_error();
    for (const auto& r : *late_response) {
        STORECRM_TRY(tx.Exec("UPDATE complaints SET response_breached = 1, version = version + 1 WHERE id = ?", {r.Int(0)}));
        STORECRM_TRY(AddComplaintEvent(tx, r.Int(0), "breach", "", "", "response", std::nullopt, now));
        STORECRM_TRY(EscalateComplaint(tx, r.Int(0), "sla_response", now));
        ++breached;
    }
    auto late_resolution = tx.Query(
        "SELECT id FROM complaints WHERE status IN ('new', 'acknowledged', 'investigating') AND resolution_breached = 0 "
        "AND resolution_due_at < ? ORDER BY id",
        {now});
    if (!late_resolution.ok()) return late_resolution.take_error();
    for (const auto& r : *late_resolution) {
        STORECRM_TRY(tx.Exec("UPDATE complaints SET resolution_breached = 1, version = version + 1 WHERE id = ?", {r.Int(0)}));
        STORECRM_TRY(AddComplaintEvent(tx, r.Int(0), "breach", "", "", "resolution", std::nullopt, now));
        STORECRM_TRY(EscalateComplaint(tx, r.Int(0), "sla_resolution", now));
        ++breached;
    }
    return breached;
}

Result<int64_t> EscalateOverdueTasks(storage::Transaction& tx, int64_t now) {
    auto rows = tx.Query(
        "SELECT id, store_id, assignee_id FROM tasks WHERE status = 'open' AND escalated_to IS NULL AND due_at < ? "
        "ORDER BY id LIMIT 10000",
        {now});
    if (!rows.ok()) return rows.take_error();
    int64_t escalated = 0;
    for (const auto& r : *rows) {
        auto manager = StoreManagerOf(tx, r.Int(1), "store_manager");
        if (!manager.ok()) return manager.take_error();
        // A manager's own late task has nobody above them in the store; it stays as it is.
        if (!*manager || (!r.IsNull(2) && r.Int(2) == **manager)) continue;
        STORECRM_TRY(tx.Exec("UPDATE tasks SET escalated_to = ?, escalated_at = ?, version = version + 1 WHERE id = ?",
                             {**manager, now, r.Int(0)}));
        ++escalated;
    }
    return escalated;
}

}  // namespace storecrm::service
