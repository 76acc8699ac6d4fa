#include <spdlog/spdlog.h>

#include "members/erasure_journal.hpp"
#include "members/member_repository.hpp"
#include "ops/audit_chain.hpp"
#include "ops/backup_runs.hpp"
#include "ops/key_rotation.hpp"
#include "ops/ops.hpp"
#include "ops/retention.hpp"
#include "security/audit.hpp"

namespace storecrm::ops {

void AddOpsJobs(jobs::Scheduler& scheduler, const OpsConfig& config, const security::FieldVault& vault) {
    scheduler.Add({"audit.seal", 10, [&vault](storage::Database& db) -> Status {
                       // Sealing 20,000 a pass catches up after a bulk import within minutes.
                       auto sealed = SealAuditChain(db, vault);
                       if (!sealed.ok()) return sealed.take_error();
                       return Ok();
                   }});
    scheduler.Add({"privacy.retention", 86400, [&vault](storage::Database& db) -> Status {
                       return ApplyRetention(db, vault);
                   }});
    scheduler.Add({"keys.reencrypt", 60, [&vault, key_file = config.key_file](storage::Database& db) -> Status {
                       auto moved = ReencryptStale(db, vault, key_file);
                       return moved.ok() ? Ok() : Status(moved.take_error());
                   }});
    scheduler.Add({"backups.run", 3600, [target = config.backups](storage::Database& db) -> Status {
                       return RunScheduledBackup(db, target);
                   }});
}

Result<int64_t> ReplayErasures(storage::Database& db, const security::FieldVault& vault, const std::string& journal) {
    auto ids = members::ReadErasures(journal);
    if (!ids.ok()) return ids.take_error();
    if (ids->empty()) return 0;
    auto tx = db.Begin(storage::TxMode::kWrite);
    if (!tx.ok()) return tx.take_error();
    security::Principal system;
    system.kind = security::Principal::Kind::kSystem;
    system.name = "erasure journal";
    members::MemberRepository repo(**tx, vault);
    int64_t erased = 0;
    for (int64_t id : *ids) {
        auto row = (*tx)->QueryOne("SELECT status FROM members WHERE id = ?", {id});
        if (!row.ok()) return row.take_error();
        if (!row->has_value() || (*row)->Text(0) == "anonymized") continue;
        STORECRM_TRY(repo.EraseAgain(id, system));
        ++erased;
    }
    if (erased > 0) {
        STORECRM_TRY(security::WriteAudit(**tx, system, "", {"member.erasure_replayed", "member", "",
                                                             "{\"count\":" + std::to_string(erased) + "}"}));
    }
    STORECRM_TRY((*tx)->Commit());
    if (erased > 0) spdlog::warn("erasure journal: {} members erased again (restored from an older backup)", erased);
    return erased;
}

}  // namespace storecrm::ops
