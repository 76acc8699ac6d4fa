#pragma once
// Online backups 备份: SQLite through its backup API (a consistent snapshot while the server
// keeps writing), PostgreSQL through pg_dump; each file is checked before it gets its final
// name, and the retention rule keeps the newest of each of the last N days, weeks and months.

#include <cstdint>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "storage/database.hpp"

namespace storecrm::ops {

struct BackupTarget {
    std::string db_url;     // a SQLite path or postgresql://…
    std::string directory;  // where backups are written
};

struct BackupSettings {
    int hour_local = 3;  // when the daily backup runs, in `timezone`
    std::string timezone = "Asia/Shanghai";
    int daily = 7;
    int weekly = 4;
    int monthly = 12;
};

struct BackupFile {
    std::string name;
    int64_t size_bytes = 0;
    int64_t created_at = 0;
    std::vector<std::string> keep;  // "daily", "weekly", "monthly": why the rule keeps it
};

bool IsPostgresUrl(const std::string& db_url);
// <the database's folder>/backups for SQLite, ./data/backups for PostgreSQL.
std::string DefaultBackupDirectory(const std::string& db_url);
// <the database file>.erasures for SQLite, ./data/erasures.jsonl for PostgreSQL.
std::string DefaultErasureJournal(const std::string& db_url);

// Writes storecrm-YYYYMMDD-HHMMSS.db (or .dump) named by `now` (UTC), checks it, then renames
// it into place. One backup at a time per process: a second caller gets kConflict.
Result<BackupFile> TakeBackup(const BackupTarget& target, int64_t now);
// Newest first, each with the reasons the rule keeps it (none: due for deletion).
Result<std::vector<BackupFile>> ListBackups(const BackupTarget& target, const BackupSettings& settings);
// Deletes the backups the rule does not keep; returns their names.
Result<std::vector<std::string>> PruneBackups(const BackupTarget& target, const BackupSettings& settings);

// The file is a whole, uncorrupted storecrm database (SQLite) or a readable dump (PostgreSQL).
Status CheckBackupFile(const std::string& db_url, const std::string& file);
// Replaces the database with the backup; refuses an existing non-empty database unless `force`.
// The server must be stopped. The erasure journal is not replayed here (see ReplayErasures).
Status RestoreBackup(const std::string& file, const std::string& db_url, bool force);

Result<BackupSettings> LoadBackupSettings(storage::Transaction& tx);
Status SaveBackupSettings(storage::Transaction& tx, const BackupSettings& settings);

}  // namespace storecrm::ops
