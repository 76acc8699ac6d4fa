#pragma once
// Operations: backups, the audit chain, privacy retention and the erasure journal — their
// routes and scheduled jobs, configured once by `serve`.

#include "http/router.hpp"
#include "jobs/scheduler.hpp"
#include "ops/backups.hpp"
#include "security/crypto.hpp"

namespace storecrm::ops {

struct OpsConfig {
    BackupTarget backups;
    std::string key_file;  // re-read by keys.reencrypt after a rotation; empty with STORECRM_MASTER_KEY
};

void RegisterOpsRoutes(http::Router& router, const OpsConfig& config);
// audit.seal, backups.run, privacy.retention.
void AddOpsJobs(jobs::Scheduler& scheduler, const OpsConfig& config, const security::FieldVault& vault);

// Anonymises every member in the erasure journal who is not anonymised (a restored backup
// older than their erasure). Returns how many were erased again.
Result<int64_t> ReplayErasures(storage::Database& db, const security::FieldVault& vault, const std::string& journal);

}  // namespace storecrm::ops
