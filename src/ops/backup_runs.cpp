#include "ops/backup_runs.hpp"

#include <spdlog/spdlog.h>

#include "common/clock.hpp"
#include "common/messages.hpp"
#include "loyalty/local_time.hpp"
#include "storage/key_value.hpp"

namespace storecrm::ops {
namespace {

constexpr const char* kLastRunKey = "backups.last_run";

Status RecordRun(storage::Database& db, const nlohmann::json& run) {
    auto tx = db.Begin(storage::TxMode::kWrite);
    if (!tx.ok()) return tx.take_error();
    STORECRM_TRY(storage::PutKeyValue(**tx, "ops_settings", kLastRunKey, run.dump()));
    return (*tx)->Commit();
}

}  // namespace

Result<BackupFile> RunBackup(storage::Database& db, const BackupTarget& target) {
    const int64_t started = NowUnix();
    auto file = TakeBackup(target, started);
    nlohmann::json run = {{"started_at", FormatIsoUtc(started)}, {"finished_at", FormatIsoUtc(NowUnix())},
                          {"ok", file.ok()}};
    if (file.ok()) {
        run["name"] = file->name;
        run["message"] = "";
        auto tx = db.Begin(storage::TxMode::kRead);
        if (!tx.ok()) return tx.take_error();
        auto settings = LoadBackupSettings(**tx);
        tx->reset();
        if (!settings.ok()) return settings.take_error();
        auto pruned = PruneBackups(target, *settings);
        if (pruned.ok() && !pruned->empty()) run["pruned"] = *pruned;
    } else {
        run["name"] = nullptr;
        // A busy refusal is not a failed backup: the one running will record itself.
        if (file.error().code == ErrorCode::kConflict) return file;
        run["message"] = file.error().internal_detail.empty() ? Render(file.error().message, Locale::kEn)
                                                              : file.error().internal_detail;
        spdlog::error("backup failed: {}", run["message"].get<std::string>());
    }
    STORECRM_TRY(RecordRun(db, run));
    return file;
}

Result<nlohmann::json> LastBackupRun(storage::Transaction& tx) {
    auto value = storage::GetKeyValue(tx, "ops_settings", kLastRunKey);
    if (!value.ok()) return value.take_error();
    if (!value->has_value()) return nlohmann::json();
    auto run = nlohmann::json::parse(**value, nullptr, false);
    return run.is_object() ? run : nlohmann::json();
}

Status RunScheduledBackup(storage::Database& db, const BackupTarget& target) {
    auto tx = db.Begin(storage::TxMode::kRead);
    if (!tx.ok()) return tx.take_error();
    auto settings = LoadBackupSettings(**tx);
    tx->reset();
    if (!settings.ok()) return settings.take_error();
    const int64_t now = NowUnix();
    if (loyalty::LocalHour(now, settings->timezone) != settings->hour_local) return Ok();
    auto files = ListBackups(target, *settings);
    if (!files.ok()) return files.take_error();
    if (!files->empty() && files->front().created_at > now - 20 * 3600) return Ok();
    auto file = RunBackup(db, target);
    if (!file.ok() && file.error().code != ErrorCode::kConflict) return file.take_error();
    return Ok();
}

}  // namespace storecrm::ops
