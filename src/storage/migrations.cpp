#include "storage/migrations.hpp"

#include <algorithm>

#include "common/clock.hpp"
#include "common/embedded_files.hpp"

namespace storecrm::storage {
namespace {

struct Migration {
    int version;
    std::string name;
    std::string_view sql;
};

std::vector<Migration> MigrationsFor(Dialect dialect) {
    const std::string prefix = dialect == Dialect::kSqlite ? "/sqlite/" : "/postgres/";
    std::vector<Migration> result;
    for (const auto& file : embedded::Migrations()) {
        if (file.path.rfind(prefix, 0) != 0) continue;
        std::string name(file.path.substr(prefix.size()));
        result.push_back({std::stoi(name.substr(0, 4)), name, file.data});
    }
    std::sort(result.begin(), result.end(), [](const auto& a, const auto& b) { return a.version < b.version; });
    return result;
}

Status EnsureTable(Database& db) {
    auto tx = db.Begin(TxMode::kWrite);
    if (!tx.ok()) return tx.take_error();
    STORECRM_TRY((*tx)->Exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "applied_at INTEGER NOT NULL)"));
    return (*tx)->Commit();
}

}  // namespace

Result<int> SchemaVersion(Database& db) {
    STORECRM_TRY(EnsureTable(db));
    auto tx = db.Begin(TxMode::kRead);
    if (!tx.ok()) return tx.take_error();
    auto row = (*tx)->QueryOne("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
    if (!row.ok()) return row.take_error();
    return static_cast<int>((*row)->Int(0));
}

Result<std::vector<std::string>> Migrate(Database& db) {
    auto current = SchemaVersion(db);
    if (!current.ok()) return current.take_error();
    std::vector<std::string> applied;
    for (const auto& migration : MigrationsFor(db.dialect())) {
        if (migration.version <= *current) continue;
        auto tx = db.Begin(TxMode::kWrite);
        if (!tx.ok()) return tx.take_error();
        // Another instance may have applied it while we waited for the write lock.
        auto seen = (*tx)->QueryOne("SELECT 1 FROM schema_migrations WHERE version = ?", {migration.version});
        if (!seen.ok()) return seen.take_error();
        if (seen->has_value()) continue;
        STORECRM_TRY((*tx)->connection().ExecScript(migration.sql));
        STORECRM_TRY((*tx)->Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                                 {migration.version, migration.name, NowUnix()}));
        STORECRM_TRY((*tx)->Commit());
        applied.push_back(migration.name);
    }
    return applied;
}

}  // namespace storecrm::storage
