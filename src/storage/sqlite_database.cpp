#include "storage/sqlite_database.hpp"

#include "common/metrics.hpp"
#include "storage/group_commit.hpp"

#include <sqlite3.h>

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <list>
#include <mutex>
#include <unordered_map>

namespace storecrm::storage {
namespace {


Error SqliteError(sqlite3* db, int rc, std::string_view what) {
    std::string detail = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
    int primary = rc & 0xff;
    if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED) return Error::Busy(detail);
    if (primary == SQLITE_FULL) {
        Error e;
        e.code = ErrorCode::kStorageFull;
        e.message = {"error.storage_full", {}};
        e.internal_detail = detail;
        return e;
    }
    if (primary == SQLITE_CONSTRAINT) {
        Error e;
        e.code = ErrorCode::kConflict;
        e.message = {"error.conflict", {}};
        e.internal_detail = detail;
        return e;
    }
    return Error::Internal(detail);
}

class SqliteConnection final : public Connection {
public:
    explicit SqliteConnection(sqlite3* db) : db_(db) {}
    ~SqliteConnection() override {
        for (auto& [sql, cached] : statements_) sqlite3_finalize(cached.stmt);
        sqlite3_close_v2(db_);
    }

    Result<Rows> Query(std::string_view sql, const Params& params) override {
        auto stmt = Prepare(sql);
        if (!stmt.ok()) return stmt.take_error();
        sqlite3_stmt* s = *stmt;
        StatementReset reset{s};
        STORECRM_TRY(Bind(s, params));
        Rows rows;
        const int columns = sqlite3_column_count(s);
        while (true) {
            int rc = sqlite3_step(s);
            if (rc == SQLITE_DONE) break;
            if (rc != SQLITE_ROW) return SqliteError(db_, rc, "step");
            std::vector<Value> values;
            values.reserve(columns);
            for (int c = 0; c < columns; ++c) values.push_back(ColumnValue(s, c));
            rows.emplace_back(std::move(values));
        }
        return rows;
    }

    Result<ExecResult> Exec(std::string_view sql, const Params& params) override {
        auto stmt = Prepare(sql);
        if (!stmt.ok()) return stmt.take_error();
        sqlite3_stmt* s = *stmt;
        StatementReset reset{s};
        STORECRM_TRY(Bind(s, params));
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        }
        if (rc != SQLITE_DONE) return SqliteError(db_, rc, "exec");
        return ExecResult{sqlite3_changes64(db_)};
    }

    Status ExecScript(std::string_view sql) override {
        char* message = nullptr;
        int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &message);
        if (rc != SQLITE_OK) {
            std::string text = message ? message : "";
            sqlite3_free(message);
            return SqliteError(nullptr, rc, "script: " + text);
        }
        return Ok();
    }

    Status Begin(bool write) override {
        auto r = Exec(write ? "BEGIN IMMEDIATE" : "BEGIN", {});
        if (!r.ok()) return r.take_error();
        return Ok();
    }

    Status Commit() override {
        auto r = Exec("COMMIT", {});
        if (!r.ok()) return r.take_error();
        return Ok();
    }

    void Rollback() override {
        if (!sqlite3_get_autocommit(db_)) (void)Exec("ROLLBACK", {});
    }

    Dialect dialect() const override { return Dialect::kSqlite; }
    bool InTransaction() const { return !sqlite3_get_autocommit(db_); }

private:
    struct StatementReset {
        sqlite3_stmt* stmt;
        ~StatementReset() {
            sqlite3_reset(stmt);
            sqlite3_clear_bindings(stmt);
        }
    };

    // Statements are kept per connection, the least recently used dropped past kStatementCache:
    // every one of ~20 pooled connections meets, over hours, every query the app has (reports
    // compile to tens of KB each), and a cache cleared only at 512 kept the soak's SQLite memory
    // climbing for its whole half hour. A query runs to completion before the next is prepared,
    // so an evicted statement is never in use.
    Result<sqlite3_stmt*> Prepare(std::string_view sql) {
        // Looked up by the view: a cache hit (nearly every statement) allocates nothing.
        if (auto it = statements_.find(sql); it != statements_.end()) {
            recency_.splice(recency_.begin(), recency_, it->second.use);
            return it->second.stmt;
        }
        std::string key(sql);
        sqlite3_stmt* stmt = nullptr;
        int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                                    nullptr);
        if (rc != SQLITE_OK) return SqliteError(db_, rc, "prepare [" + key + "]");
        if (statements_.size() >= kStatementCache) {
            auto oldest = statements_.find(recency_.back());
            sqlite3_finalize(oldest->second.stmt);
            statements_.erase(oldest);
            recency_.pop_back();
        }
        recency_.push_front(key);
        statements_.emplace(std::move(key), CachedStatement{stmt, recency_.begin()});
        return stmt;
    }

    // SQLITE_STATIC: the caller's params outlive the statement's run (StatementReset clears the
    // bindings before Query or Exec returns), so SQLite need not copy every text and blob.
    Status Bind(sqlite3_stmt* stmt, const Params& params) {
        for (size_t i = 0; i < params.size(); ++i) {
            int index = static_cast<int>(i + 1);
            int rc = std::visit(
                [&](const auto& v) -> int {
                    using T = std::decay_t<decltype(v)>;
                    if constexpr (std::is_same_v<T, std::monostate>) {
                        return sqlite3_bind_null(stmt, index);
                    } else if constexpr (std::is_same_v<T, int64_t>) {
                        return sqlite3_bind_int64(stmt, index, v);
                    } else if constexpr (std::is_same_v<T, double>) {
                        return sqlite3_bind_double(stmt, index, v);
                    } else if constexpr (std::is_same_v<T, std::string>) {
                        return sqlite3_bind_text64(stmt, index, v.data(), v.size(), SQLITE_STATIC, SQLITE_UTF8);
                    } else {
                        return sqlite3_bind_blob64(stmt, index, v.bytes.data(), v.bytes.size(), SQLITE_STATIC);
                    }
                },
                params[i].data());
            if (rc != SQLITE_OK) return SqliteError(db_, rc, "bind");
        }
        return Ok();
    }

    static Value ColumnValue(sqlite3_stmt* s, int c) {
        switch (sqlite3_column_type(s, c)) {
            case SQLITE_INTEGER: return Value(static_cast<int64_t>(sqlite3_column_int64(s, c)));
            case SQLITE_FLOAT: return Value(sqlite3_column_double(s, c));
            case SQLITE_TEXT:
                return Value(std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, c)),
                                         sqlite3_column_bytes(s, c)));
            case SQLITE_BLOB: {
                const char* data = static_cast<const char*>(sqlite3_column_blob(s, c));
                return Value(Blob{std::string(data ? data : "", sqlite3_column_bytes(s, c))});
            }
            default: return Value();
        }
    }

    static constexpr size_t kStatementCache = 128;
    struct CachedStatement {
        sqlite3_stmt* stmt;
        std::list<std::string>::iterator use;  // its place in recency_
    };
    sqlite3* db_;
    std::list<std::string> recency_;  // SQL texts, most recently used first
    struct SqlHash {
        using is_transparent = void;
        size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
    };
    std::unordered_map<std::string, CachedStatement, SqlHash, std::equal_to<>> statements_;
};

class SqliteDatabase final : public Database {
public:
    // SQLite admits one writer at a time. Writers of this process queue in the group-commit
    // writer on its own connection and are handed the lock at once, instead of polling in
    // SQLite's busy handler, which sleeps in growing steps; busy_timeout still arbitrates with
    // other processes. Readers use the pool.
    SqliteDatabase(std::string path, std::vector<std::unique_ptr<Connection>> pool,
                   std::unique_ptr<SqliteConnection> writer, int busy_timeout_ms)
        : path_(std::move(path)), free_(std::move(pool)) {
        SqliteConnection* raw = writer.get();
        writer_ = std::make_unique<GroupCommitWriter>(std::move(writer), [raw] { return raw->InTransaction(); },
                                                      busy_timeout_ms, kMaxGroup);
    }

    Result<std::unique_ptr<Transaction>> Begin(TxMode mode) override {
        if (mode == TxMode::kWrite) return writer_->Begin();
        std::unique_ptr<Connection> connection;
        {
            std::unique_lock lock(mutex_);
            available_.wait(lock, [&] { return !free_.empty(); });
            connection = std::move(free_.back());
            free_.pop_back();
        }
        auto release = [this](std::unique_ptr<Connection> c) {
            {
                std::lock_guard lock(mutex_);
                free_.push_back(std::move(c));
            }
            available_.notify_one();
        };
        auto status = connection->Begin(false);
        if (!status.ok()) {
            release(std::move(connection));
            return status.take_error();
        }
        return std::make_unique<Transaction>(std::move(connection), release);
    }

    Dialect dialect() const override { return Dialect::kSqlite; }
    std::string Describe() const override { return "sqlite:" + path_; }

    Status RefreshStatistics() override {
        auto tx = Begin(TxMode::kWrite);
        if (!tx.ok()) return tx.take_error();
        auto stats = (*tx)->QueryOne("SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_stat1'");
        if (!stats.ok()) return stats.take_error();
        // A full ANALYZE the first time; later PRAGMA optimize re-analyzes only what changed.
        STORECRM_TRY((*tx)->connection().ExecScript((**stats).Int(0) == 0 ? "ANALYZE" : "PRAGMA optimize"));
        return (*tx)->Commit();
    }

private:
    // At most this many write transactions share one COMMIT: enough to amortise the fsync,
    // few enough that the first of them does not wait long for the last.
    static constexpr int kMaxGroup = 32;

    std::string path_;
    std::mutex mutex_;
    std::condition_variable available_;
    std::vector<std::unique_ptr<Connection>> free_;
    std::unique_ptr<GroupCommitWriter> writer_;
};

// FULL: a commit is on disk (the WAL synced) before it is acknowledged. The power-loss test sets
// STORECRM_SQLITE_SYNCHRONOUS=OFF to prove it notices acknowledged sales going missing.
std::string Synchronous() {
    const char* value = std::getenv("STORECRM_SQLITE_SYNCHRONOUS");
    if (!value || std::string(value) == "FULL") return "FULL";
    const std::string weak(value);
    if (weak != "NORMAL" && weak != "OFF") return "FULL";
    static std::once_flag warned;
    std::call_once(warned, [&] { spdlog::warn("SQLite synchronous={}: acknowledged commits can be lost (tests only)", weak); });
    return weak;
}

Result<std::unique_ptr<SqliteConnection>> OpenConnection(const std::string& path, int busy_timeout_ms) {
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                             nullptr);
    if (rc != SQLITE_OK) {
        Error e = Error::Internal(std::string("open ") + path + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
        sqlite3_close_v2(db);
        return e;
    }
    sqlite3_busy_timeout(db, busy_timeout_ms);
    auto connection = std::make_unique<SqliteConnection>(db);
    STORECRM_TRY(connection->ExecScript(
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=" + Synchronous() +
        "; PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536; PRAGMA mmap_size=4294967296;"));
    return connection;
}

}  // namespace

Result<std::unique_ptr<Database>> OpenSqliteDatabase(const std::string& path, int pool_size, int busy_timeout_ms) {
    static std::once_flag gauge_added;
    std::call_once(gauge_added, [] {
        metrics::AddCollector([](std::string& out) {
            out += "# HELP storecrm_sqlite_memory_bytes Memory SQLite holds: page caches, prepared statements, sorts.\n";
            out += "# TYPE storecrm_sqlite_memory_bytes gauge\n";
            out += "storecrm_sqlite_memory_bytes " + std::to_string(sqlite3_memory_used()) + "\n";
        });
    });
    std::filesystem::path p(path);
    if (p.has_parent_path()) {
        std::error_code ec;
        std::filesystem::create_directories(p.parent_path(), ec);
    }
    auto writer = OpenConnection(path, busy_timeout_ms);
    if (!writer.ok()) return writer.take_error();
    // The writer reads through the page cache: with mmap every growth of the file would make
    // SQLite unmap and map it again, in the middle of the one writer's turn. Its cache is held
    // to 16 MiB: it fills with every page the writer ever touched, so at 64 MiB the soak saw the
    // server grow for half an hour on a busy file; the OS page cache serves the misses.
    STORECRM_TRY((*writer)->ExecScript("PRAGMA mmap_size=0; PRAGMA cache_size=-16384"));
    std::vector<std::unique_ptr<Connection>> pool;
    for (int i = 0; i < std::max(pool_size, 1); ++i) {
        auto connection = OpenConnection(path, busy_timeout_ms);
        if (!connection.ok()) return connection.take_error();
        pool.push_back(std::move(connection).value());
    }
    return std::unique_ptr<Database>(
        std::make_unique<SqliteDatabase>(path, std::move(pool), std::move(writer).value(), busy_timeout_ms));
}

}  // namespace storecrm::storage
