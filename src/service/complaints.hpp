#pragma once
// Complaints 投诉: deadlines from the SLA policy in the store's business hours, the status
// flow, escalation to the regional manager, and the job that notices breached deadlines.

#include <cstdint>
#include <optional>
#include <string>

#include "common/error.hpp"
#include "service/service_settings.hpp"
#include "storage/database.hpp"

namespace storecrm::service {

struct Deadlines {
    int64_t response_due_at = 0;
    int64_t resolution_due_at = 0;
};

// From `created_at`, the first response and the resolution deadlines for the channel and
// severity under `settings`, counted in the store's business hours.
Result<Deadlines> ComplaintDeadlines(storage::Transaction& tx, const ServiceSettings& settings, int64_t store_id,
                                     const std::string& channel, const std::string& severity, int64_t created_at);

// The status a complaint may move to from `from` (the flow new → acknowledged → investigating
// → resolved → follow_up → closed; acknowledging may be skipped).
bool IsAllowedTransition(const std::string& from, const std::string& to);

Status AddComplaintEvent(storage::Transaction& tx, int64_t complaint_id, const std::string& kind,
                         const std::string& from_status, const std::string& to_status, const std::string& note,
                         std::optional<int64_t> staff_id, int64_t now);

// Raises a store-level complaint to the store's regional manager (level 1), gives them an
// urgent task and records why. Does nothing for one already escalated.
// `reason` is a code — sla_response, sla_resolution, legal or critical — kept on the event, the
// task and the webhook, and rendered in each reader's language (complaint.escalation.<reason>).
Status EscalateComplaint(storage::Transaction& tx, int64_t complaint_id, const std::string& reason, int64_t now);

// The every-minute pass: marks passed response / resolution deadlines and escalates them.
// Returns the number of complaints newly breached.
Result<int64_t> CheckComplaintSla(storage::Transaction& tx, int64_t now);

// Overdue open tasks go up to the store manager once. Returns how many were escalated.
Result<int64_t> EscalateOverdueTasks(storage::Transaction& tx, int64_t now);

}  // namespace storecrm::service
