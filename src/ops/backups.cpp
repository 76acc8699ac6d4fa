#include "ops/backups.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>

#include <libpq-fe.h>
#include <nlohmann/json.hpp>

#include "storage/key_value.hpp"

namespace storecrm::ops {
namespace {

namespace fs = std::filesystem;
constexpr const char* kSettingsKey = "backups.settings";
constexpr const char* kPrefix = "storecrm-";

std::mutex backup_mutex;

Error Refusal(const char* key) {
    Error e;
    e.code = ErrorCode::kConflict;
    e.message = {key, {}};
    return e;
}

// Runs a program (no shell: the URL goes in as one argument) and returns its exit status,
// with what it wrote to stderr.
int RunProgram(const std::vector<std::string>& args, std::string* errors) {
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) return -1;
    const pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        dup2(pipe_fds[1], STDERR_FILENO);
        const int null_fd = open("/dev/null", O_WRONLY);
        if (null_fd >= 0) dup2(null_fd, STDOUT_FILENO);
        close(pipe_fds[0]);
        std::vector<char*> argv;
        for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        execvp(argv[0], argv.data());
        _exit(127);
    }
    close(pipe_fds[1]);
    char buffer[4096];
    ssize_t n;
    while ((n = read(pipe_fds[0], buffer, sizeof buffer)) > 0) {
        if (errors && errors->size() < 8192) errors->append(buffer, static_cast<size_t>(n));
    }
    close(pipe_fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

Status SyncPath(const fs::path& path) {
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return Error::Internal("cannot open " + path.string() + " to sync");
    const bool ok = fsync(fd) == 0;
    close(fd);
    return ok ? Ok() : Error::Internal("cannot sync " + path.string());
}

std::string SqliteText(sqlite3* db, const char* sql) {
    sqlite3_stmt* stmt = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
        const unsigned char* text = sqlite3_column_text(stmt, 0);
        if (text) out = reinterpret_cast<const char*>(text);
    }
    sqlite3_finalize(stmt);
    return out;
}

// Copies every page of `from` into `to` in one step: one read transaction on the source, so
// the copy is one consistent moment even while others write (WAL lets them).
Status SqliteCopy(const std::string& from, const std::string& to, int from_flags) {
    sqlite3* source = nullptr;
    sqlite3* dest = nullptr;
    auto close_both = [&] {
        sqlite3_close_v2(source);
        sqlite3_close_v2(dest);
    };
    if (sqlite3_open_v2(from.c_str(), &source, from_flags, nullptr) != SQLITE_OK ||
        sqlite3_open_v2(to.c_str(), &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
        const std::string message = sqlite3_errmsg(source ? source : dest);
        close_both();
        return Error::Internal("cannot open for backup: " + message);
    }
    sqlite3_busy_timeout(source, 10000);
    sqlite3_busy_timeout(dest, 10000);
    sqlite3_backup* backup = sqlite3_backup_init(dest, "main", source, "main");
    if (!backup) {
        const std::string message = sqlite3_errmsg(dest);
        close_both();
        return Error::Internal("backup: " + message);
    }
    const int rc = sqlite3_backup_step(backup, -1);
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) {
        const std::string message = sqlite3_errstr(rc);
        close_both();
        if ((rc & 0xff) == SQLITE_FULL) {
            Error e;
            e.code = ErrorCode::kStorageFull;
            e.message = {"error.storage_full", {}};
            e.internal_detail = "backup: " + message;
            return e;
        }
        return Error::Internal("backup: " + message);
    }
    close_both();
    return Ok();
}

Status CheckSqliteFile(const std::string& file) {
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
        sqlite3_close_v2(db);
        return Error::Internal("cannot open " + file);
    }
    const std::string integrity = SqliteText(db, "PRAGMA integrity_check");
    const std::string marker = SqliteText(db, "SELECT COUNT(*) FROM schema_migrations");
    sqlite3_close_v2(db);
    if (integrity != "ok") return Error::Internal(file + " fails the integrity check: " + integrity);
    if (marker.empty() || marker == "0") return Error::Internal(file + " is not a storecrm database");
    return Ok();
}

// "storecrm-20261129-030000.db" → its UTC time; 0 when the name is not one of ours.
int64_t TimeOfName(const std::string& name) {
    int y, mo, d, h, mi, s;
    if (name.rfind(kPrefix, 0) != 0 ||
        std::sscanf(name.c_str() + 9, "%4d%2d%2d-%2d%2d%2d", &y, &mo, &d, &h, &mi, &s) != 6) {
        return 0;
    }
    using namespace std::chrono;
    const sys_days date{year{y} / month{static_cast<unsigned>(mo)} / std::chrono::day{static_cast<unsigned>(d)}};
    return duration_cast<seconds>(date.time_since_epoch()).count() + h * 3600 + mi * 60 + s;
}

std::string NameFor(int64_t now, const std::string& extension) {
    const std::time_t t = static_cast<std::time_t>(now);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char name[64];
    std::strftime(name, sizeof name, "storecrm-%Y%m%d-%H%M%S", &tm);
    return name + extension;
}

// ISO 8601 week "YYYY-Www" of a UTC instant: weeks start on Monday, and week 1 holds the
// year's first Thursday.
std::string IsoWeek(int64_t at) {
    using namespace std::chrono;
    const sys_days day = floor<days>(sys_seconds{seconds{at}});
    const weekday wd{day};
    const int iso_wd = wd.iso_encoding();  // 1 = Monday
    const sys_days thursday = day + days{4 - iso_wd};
    const year_month_day ymd{thursday};
    const sys_days jan1{ymd.year() / January / 1};
    const int week = static_cast<int>((thursday - jan1).count() / 7) + 1;
    char out[16];
    std::snprintf(out, sizeof out, "%04d-W%02d", static_cast<int>(ymd.year()), week);
    return out;
}

bool PostgresHasTables(const std::string& url, std::string* error) {
    PGconn* conn = PQconnectdb(url.c_str());
    if (PQstatus(conn) != CONNECTION_OK) {
        *error = PQerrorMessage(conn);
        PQfinish(conn);
        return false;
    }
    PGresult* r = PQexec(conn, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()");
    const bool has = PQresultStatus(r) == PGRES_TUPLES_OK && std::string(PQgetvalue(r, 0, 0)) != "0";
    PQclear(r);
    PQfinish(conn);
    return has;
}

}  // namespace

bool IsPostgresUrl(const std::string& db_url) {
    return db_url.rfind("postgresql://", 0) == 0 || db_url.rfind("postgres://", 0) == 0;
}

std::string DefaultBackupDirectory(const std::string& db_url) {
    if (IsPostgresUrl(db_url)) return "./data/backups";
    const fs::path p(db_url);
    return (p.has_parent_path() ? p.parent_path() / "backups" : fs::path("backups")).string();
}

std::string DefaultErasureJournal(const std::string& db_url) {
    if (IsPostgresUrl(db_url)) return "./data/erasures.jsonl";
    return db_url + ".erasures";
}

Status CheckBackupFile(const std::string& db_url, const std::string& file) {
    if (!fs::is_regular_file(file)) return Error::Internal("no backup file " + file);
    if (!IsPostgresUrl(db_url)) return CheckSqliteFile(file);
    std::string errors;
    if (RunProgram({"pg_restore", "--list", file}, &errors) != 0) {
        return Error::Internal(file + " is not a readable pg_dump archive: " + errors);
    }
    return Ok();
}

Result<BackupFile> TakeBackup(const BackupTarget& target, int64_t now) {
    std::unique_lock lock(backup_mutex, std::try_to_lock);
    if (!lock.owns_lock()) return Refusal("error.backup_running");
    std::error_code ec;
    fs::create_directories(target.directory, ec);
    if (ec) return Error::Internal("cannot create " + target.directory + ": " + ec.message());
    const bool postgres = IsPostgresUrl(target.db_url);
    std::string name = NameFor(now, postgres ? ".dump" : ".db");
    for (int n = 2; fs::exists(fs::path(target.directory) / name); ++n) {
        name = NameFor(now, "-" + std::to_string(n) + (postgres ? ".dump" : ".db"));
    }
    const fs::path final_path = fs::path(target.directory) / name;
    const fs::path part = final_path.string() + ".part";
    fs::remove(part, ec);
    if (postgres) {
        std::string errors;
        if (RunProgram({"pg_dump", "--format=custom", "--file=" + part.string(), target.db_url}, &errors) != 0) {
            fs::remove(part, ec);
            return Error::Internal("pg_dump failed: " + errors);
        }
    } else {
        Status copied = SqliteCopy(target.db_url, part.string(), SQLITE_OPEN_READONLY);
        if (copied.ok()) {
            // One self-contained file: no -wal beside it to lose.
            sqlite3* db = nullptr;
            if (sqlite3_open_v2(part.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK) {
                SqliteText(db, "PRAGMA journal_mode = DELETE");
            }
            sqlite3_close_v2(db);
        }
        if (!copied.ok()) {
            fs::remove(part, ec);
            return copied.take_error();
        }
    }
    if (Status checked = CheckBackupFile(target.db_url, part.string()); !checked.ok()) {
        fs::remove(part, ec);
        return checked.take_error();
    }
    STORECRM_TRY(SyncPath(part));
    fs::rename(part, final_path, ec);
    if (ec) return Error::Internal("cannot rename backup: " + ec.message());
    STORECRM_TRY(SyncPath(target.directory));
    BackupFile file;
    file.name = name;
    file.size_bytes = static_cast<int64_t>(fs::file_size(final_path, ec));
    file.created_at = TimeOfName(name);
    return file;
}

Result<std::vector<BackupFile>> ListBackups(const BackupTarget& target, const BackupSettings& settings) {
    std::vector<BackupFile> files;
    std::error_code ec;
    if (!fs::is_directory(target.directory, ec)) return files;
    for (const auto& entry : fs::directory_iterator(target.directory, ec)) {
        const std::string name = entry.path().filename().string();
        const bool ours = name.size() > 5 && (name.ends_with(".db") || name.ends_with(".dump"));
        if (!entry.is_regular_file() || !ours || TimeOfName(name) == 0) continue;
        BackupFile f;
        f.name = name;
        f.created_at = TimeOfName(name);
        f.size_bytes = static_cast<int64_t>(entry.file_size(ec));
        files.push_back(std::move(f));
    }
    std::sort(files.begin(), files.end(), [](const BackupFile& a, const BackupFile& b) {
        return a.created_at != b.created_at ? a.created_at > b.created_at : a.name > b.name;
    });
    // Newest first: the first file seen in a period is that period's keeper.
    struct Rule {
        const char* tag;
        int count;
        std::string (*period)(int64_t);
    };
    const Rule rules[] = {
        {"daily", settings.daily, [](int64_t at) { return NameFor(at, "").substr(9, 8); }},
        {"weekly", settings.weekly, IsoWeek},
        {"monthly", settings.monthly, [](int64_t at) { return NameFor(at, "").substr(9, 6); }},
    };
    for (const auto& rule : rules) {
        std::set<std::string> periods;
        for (auto& f : files) {
            const std::string period = rule.period(f.created_at);
            if (periods.count(period)) continue;
            if (static_cast<int>(periods.size()) >= rule.count) break;
            periods.insert(period);
            f.keep.push_back(rule.tag);
        }
    }
    return files;
}

Result<std::vector<std::string>> PruneBackups(const BackupTarget& target, const BackupSettings& settings) {
    auto files = ListBackups(target, settings);
    if (!files.ok()) return files.take_error();
    std::vector<std::string> deleted;
    for (const auto& f : *files) {
        if (!f.keep.empty()) continue;
        std::error_code ec;
        if (fs::remove(fs::path(target.directory) / f.name, ec)) deleted.push_back(f.name);
    }
    return deleted;
}

Status RestoreBackup(const std::string& file, const std::string& db_url, bool force) {
    STORECRM_TRY(CheckBackupFile(db_url, file));
    if (IsPostgresUrl(db_url)) {
        std::string error;
        const bool has_tables = PostgresHasTables(db_url, &error);
        if (!error.empty()) return Error::Internal("cannot connect: " + error);
        if (has_tables && !force) {
            return Refusal("error.restore_target_exists");
        }
        std::vector<std::string> args = {"pg_restore", "--no-owner", "--exit-on-error", "--dbname=" + db_url};
        if (has_tables) {
            args.push_back("--clean");
            args.push_back("--if-exists");
        }
        args.push_back(file);
        std::string errors;
        if (RunProgram(args, &errors) != 0) return Error::Internal("pg_restore failed: " + errors);
        return Ok();
    }
    std::error_code ec;
    if (fs::exists(db_url, ec) && fs::file_size(db_url, ec) > 0 && !force) {
        return Refusal("error.restore_target_exists");
    }
    if (fs::path(db_url).has_parent_path()) fs::create_directories(fs::path(db_url).parent_path(), ec);
    return SqliteCopy(file, db_url, SQLITE_OPEN_READONLY);
}

Result<BackupSettings> LoadBackupSettings(storage::Transaction& tx) {
    BackupSettings s;
    auto value = storage::GetKeyValue(tx, "ops_settings", kSettingsKey);
    if (!value.ok()) return value.take_error();
    if (!value->has_value()) return s;
    auto d = nlohmann::json::parse(**value, nullptr, false);
    if (!d.is_object()) return s;
    s.hour_local = d.value("hour_local", s.hour_local);
    s.timezone = d.value("timezone", s.timezone);
    s.daily = d.value("daily", s.daily);
    s.weekly = d.value("weekly", s.weekly);
    s.monthly = d.value("monthly", s.monthly);
    return s;
}

Status SaveBackupSettings(storage::Transaction& tx, const BackupSettings& s) {
    const std::string value = nlohmann::json{{"hour_local", s.hour_local},
                                             {"timezone", s.timezone},
                                             {"daily", s.daily},
                                             {"weekly", s.weekly},
                                             {"monthly", s.monthly}}
                                  .dump();
    return storage::PutKeyValue(tx, "ops_settings", kSettingsKey, value);
}

}  // namespace storecrm::ops
