// The service domain's scheduled jobs and its part of a member merge.
#include <spdlog/spdlog.h>

#include "common/clock.hpp"
#include "service/complaints.hpp"
#include "service/reminders.hpp"
#include "service/routes.hpp"
#include "service/surveys.hpp"

namespace storecrm::service {
namespace {

template <typename Body>
Status InWriteTx(storage::Database& db, Body body) {
    auto tx = db.Begin(storage::TxMode::kWrite);
    if (!tx.ok()) return tx.take_error();
    STORECRM_TRY(body(**tx));
    return (*tx)->Commit();
}

}  // namespace

void AddServiceJobs(jobs::Scheduler& scheduler, const security::FieldVault& vault) {
    scheduler.Add({"reminders.daily", 3600, [&vault](storage::Database& db) -> Status {
                       auto counts = RunReminders(db, vault, NowUnix());
                       return counts.ok() ? Ok() : Status(counts.take_error());
                   }});
    scheduler.Add({"complaints.sla", 60, [](storage::Database& db) {
                       return InWriteTx(db, [](storage::Transaction& tx) -> Status {
                           auto n = CheckComplaintSla(tx, NowUnix());
                           return n.ok() ? Ok() : Status(n.take_error());
                       });
                   }});
    scheduler.Add({"tasks.escalate", 3600, [](storage::Database& db) {
                       return InWriteTx(db, [](storage::Transaction& tx) -> Status {
                           auto n = EscalateOverdueTasks(tx, NowUnix());
                           return n.ok() ? Ok() : Status(n.take_error());
                       });
                   }});
    scheduler.Add({"surveys.after_sale", 300, [&vault](storage::Database& db) {
                       return InWriteTx(db, [&vault](storage::Transaction& tx) -> Status {
                           auto n = SendAfterSaleSurveys(tx, vault, NowUnix());
                           return n.ok() ? Ok() : Status(n.take_error());
                       });
                   }});
}

Status MoveMemberService(storage::Transaction& tx, int64_t from, int64_t to) {
    for (const char* table : {"interactions", "tasks", "complaints", "survey_links", "survey_answers", "messages",
                              "deletion_requests"}) {
        STORECRM_TRY(tx.Exec(std::string("UPDATE ") + table + " SET member_id = ? WHERE member_id = ?", {to, from}));
    }
    // Keyed tables: where the survivor already has the row, the other member's copy goes.
    STORECRM_TRY(tx.Exec(
        "DELETE FROM reminders WHERE member_id = ? AND EXISTS (SELECT 1 FROM reminders r WHERE r.member_id = ? AND "
        "r.kind = reminders.kind AND r.occasion = reminders.occasion)",
        {from, to}));
    STORECRM_TRY(tx.Exec("UPDATE reminders SET member_id = ? WHERE member_id = ?", {to, from}));
    STORECRM_TRY(tx.Exec(
        "DELETE FROM event_attendees WHERE member_id = ? AND EXISTS (SELECT 1 FROM event_attendees a WHERE "
        "a.member_id = ? AND a.event_id = event_attendees.event_id)",
        {from, to}));
    STORECRM_TRY(tx.Exec("UPDATE event_attendees SET member_id = ? WHERE member_id = ?", {to, from}));
    // The merged record can no longer be signed in to; its member sessions end.
    STORECRM_TRY(tx.Exec("UPDATE member_sessions SET revoked_at = COALESCE(revoked_at, created_at) WHERE member_id = ?",
                         {from}));
    return Ok();
}

}  // namespace storecrm::service
