#pragma once
// A backup run as the admin and the scheduler see it: take, prune by the retention rule, and
// record the outcome (ops_settings 'backups.last_run') whatever it was.

#include <nlohmann/json.hpp>

#include "ops/backups.hpp"

namespace storecrm::ops {

Result<BackupFile> RunBackup(storage::Database& db, const BackupTarget& target);
// {started_at, finished_at, ok, name, message} or null before the first run.
Result<nlohmann::json> LastBackupRun(storage::Transaction& tx);
// The daily run: when it is `hour_local` in the settings' zone and no backup was taken in the
// last 20 hours.
Status RunScheduledBackup(storage::Database& db, const BackupTarget& target);

}  // namespace storecrm::ops
