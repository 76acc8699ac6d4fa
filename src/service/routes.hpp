#pragma once

#include "http/router.hpp"
#include "jobs/scheduler.hpp"
#include "security/crypto.hpp"

namespace storecrm::service {

void RegisterInteractionRoutes(http::Router& router);  // /members/{id}/interactions, timeline, purchase-cycle
void RegisterTaskRoutes(http::Router& router);         // /tasks, /tasks/today, /staff/{id}/handover, /handovers
void RegisterComplaintRoutes(http::Router& router);    // /complaints, report
void RegisterSurveyRoutes(http::Router& router);       // /surveys, /public/surveys/{token}
void RegisterEventRoutes(http::Router& router);        // /events
void RegisterTodoRoutes(http::Router& router);         // /todos
void RegisterServiceSettingsRoutes(http::Router& router);  // /service/settings
void RegisterAssigneeRoutes(http::Router& router);         // /staff/options

// reminders.daily, complaints.sla, tasks.escalate, surveys.after_sale.
void AddServiceJobs(jobs::Scheduler& scheduler, const security::FieldVault& vault);

// Member-merge hook: the other member's interactions, tasks, complaints, reminders, event
// places, survey links, messages and deletion requests move to the survivor; its member
// sessions end.
Status MoveMemberService(storage::Transaction& tx, int64_t from, int64_t to);

}  // namespace storecrm::service
