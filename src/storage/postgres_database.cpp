#include "storage/postgres_database.hpp"

#include <libpq-fe.h>

#include <condition_variable>
#include <optional>
#include <mutex>
#include <unordered_map>

namespace storecrm::storage {
namespace {

// Type OIDs from pg_type (stable across versions).
constexpr Oid kBoolOid = 16, kByteaOid = 17, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23, kOidOid = 26,
              kFloat4Oid = 700, kFloat8Oid = 701, kNumericOid = 1700;

Error PostgresError(PGconn* conn, const PGresult* result, std::string_view what) {
    std::string detail = std::string(what) + ": ";
    const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
    detail += result ? PQresultErrorMessage(result) : (conn ? PQerrorMessage(conn) : "no connection");
    const std::string sqlstate = state ? state : "";
    if (sqlstate == "23505" || sqlstate == "23503" || sqlstate == "23514") {
        Error e;
        e.code = ErrorCode::kConflict;
        e.message = {"error.conflict", {}};
        e.internal_detail = detail;
        return e;
    }
    if (sqlstate == "53100") {  // disk_full
        Error e;
        e.code = ErrorCode::kStorageFull;
        e.message = {"error.storage_full", {}};
        e.internal_detail = detail;
        return e;
    }
    // Lock not available, serialization failure, deadlock, cancelled by lock_timeout, too many
    // connections, or the connection itself gone: the caller may retry.
    if (sqlstate == "55P03" || sqlstate == "40001" || sqlstate == "40P01" || sqlstate == "57014" ||
        sqlstate == "53300" || sqlstate.rfind("08", 0) == 0 || (conn && PQstatus(conn) != CONNECTION_OK)) {
        return Error::Busy(detail);
    }
    return Error::Internal(detail);
}

std::string DecodeBytea(const char* text, int length) {
    // Text-format bytea is "\x" followed by hex (bytea_output = hex, set on connect).
    std::string out;
    if (length < 2 || text[0] != '\\' || text[1] != 'x') return std::string(text, length);
    out.reserve((length - 2) / 2);
    auto nibble = [](char c) { return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10; };
    for (int i = 2; i + 1 < length; i += 2) out.push_back(static_cast<char>(nibble(text[i]) * 16 + nibble(text[i + 1])));
    return out;
}

class PgResult {
public:
    explicit PgResult(PGresult* r) : r_(r) {}
    ~PgResult() { PQclear(r_); }
    PgResult(const PgResult&) = delete;
    PgResult& operator=(const PgResult&) = delete;
    PGresult* get() const { return r_; }

private:
    PGresult* r_;
};

class PostgresConnection final : public Connection {
public:
    explicit PostgresConnection(PGconn* conn) : conn_(conn) {}
    ~PostgresConnection() override { PQfinish(conn_); }

    Result<Rows> Query(std::string_view sql, const Params& params) override {
        auto result = pending_.empty() ? Run(sql, params) : RunPipelined(sql, params);
        if (!result.ok()) return result.take_error();
        PGresult* r = (*result)->get();
        Rows rows;
        const int columns = PQnfields(r);
        const int count = PQntuples(r);
        rows.reserve(count);
        for (int row = 0; row < count; ++row) {
            std::vector<Value> values;
            values.reserve(columns);
            for (int c = 0; c < columns; ++c) values.push_back(CellValue(r, row, c));
            rows.emplace_back(std::move(values));
        }
        return rows;
    }

    Result<ExecResult> Exec(std::string_view sql, const Params& params) override {
        auto result = pending_.empty() ? Run(sql, params) : RunPipelined(sql, params);
        if (!result.ok()) return result.take_error();
        const char* affected = PQcmdTuples((*result)->get());
        return ExecResult{affected && *affected ? std::stoll(affected) : 0};
    }

    Status ExecScript(std::string_view sql) override {
        if (!pending_.empty()) {
            auto flushed = RunPipelined("SELECT 1", {});
            if (!flushed.ok()) return flushed.take_error();
        }
        PgResult r(PQexec(conn_, std::string(sql).c_str()));
        const auto status = PQresultStatus(r.get());
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) return PostgresError(conn_, r.get(), "script");
        return Ok();
    }

    Status Begin(bool write) override {
        if (PQstatus(conn_) != CONNECTION_OK) {
            // A server restart or a dropped link: reconnect once and start afresh.
            PQreset(conn_);
            statements_.clear();
            if (PQstatus(conn_) != CONNECTION_OK) return PostgresError(conn_, nullptr, "reconnect");
        }
        // Sent with the first statement of the transaction, in one round trip. A read sees one
        // snapshot, as on SQLite: under READ COMMITTED each statement would see its own, and a page
        // could show a member's current tier from before a change its history already lists.
        // Read-only REPEATABLE READ never fails to serialize, so this costs no retries.
        pending_.clear();
        pending_.push_back({write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", {}, false});
        return Ok();
    }

    Status Defer(std::string_view sql, const Params& params) override {
        pending_.push_back({std::string(sql), params, true});
        return Ok();
    }

    Status Commit() override {
        if (pending_.empty()) return ExecScript("COMMIT");
        if (pending_.size() == 1 && !pending_.front().prepared) {
            pending_.clear();  // BEGIN never sent: there is nothing to commit
            return Ok();
        }
        auto committed = RunPipelined("COMMIT", {}, false);
        if (!committed.ok()) return committed.take_error();
        return Ok();
    }

    void Rollback() override {
        pending_.clear();  // never sent, so never started on the server
        if (PQtransactionStatus(conn_) != PQTRANS_IDLE) (void)ExecScript("ROLLBACK");
    }

    Dialect dialect() const override { return Dialect::kPostgres; }

private:
    struct Pending {
        std::string sql;
        Params params;
        bool prepared;  // false: a bare command (BEGIN, COMMIT) sent as is
    };

    // The text form of the parameters, as PQexecPrepared / PQsendQueryPrepared take them.
    struct Bound {
        std::vector<std::string> text;
        std::vector<const char*> values;
        std::vector<int> lengths;
        std::vector<int> formats;
    };
    static Bound Bind(const Params& params) {
        Bound b;
        b.text.resize(params.size());
        b.values.assign(params.size(), nullptr);
        b.lengths.assign(params.size(), 0);
        b.formats.assign(params.size(), 0);
        for (size_t i = 0; i < params.size(); ++i) {
            const auto& d = params[i].data();
            if (std::holds_alternative<std::monostate>(d)) continue;
            if (auto v = std::get_if<int64_t>(&d)) b.text[i] = std::to_string(*v);
            else if (auto v = std::get_if<double>(&d)) b.text[i] = std::to_string(*v);
            else if (auto v = std::get_if<std::string>(&d)) b.text[i] = *v;
            else if (auto v = std::get_if<Blob>(&d)) {
                b.text[i] = v->bytes;
                b.formats[i] = 1;  // binary: bytea goes as raw bytes
            }
        }
        for (size_t i = 0; i < params.size(); ++i) {
            if (!std::holds_alternative<std::monostate>(params[i].data())) {
                b.values[i] = b.text[i].data();
                b.lengths[i] = static_cast<int>(b.text[i].size());
            }
        }
        return b;
    }

    // Sends what is pending and then (sql, params) in one pipeline — one round trip — and
    // returns the last statement's result. The first failure aborts the rest (the server
    // skips them) and is returned.
    Result<std::unique_ptr<PgResult>> RunPipelined(std::string_view sql, const Params& params, bool prepared = true) {
        std::vector<Pending> batch = std::move(pending_);
        pending_.clear();
        batch.push_back({std::string(sql), params, prepared});
        std::vector<std::string> names(batch.size());
        if (statements_.size() + batch.size() > 512) {  // make room first: Prepare must not evict mid-batch
            PgResult r(PQexec(conn_, "DEALLOCATE ALL"));
            statements_.clear();
        }
        for (size_t i = 0; i < batch.size(); ++i) {  // statements are prepared outside the pipeline
            if (!batch[i].prepared) continue;
            auto name = Prepare(batch[i].sql);
            if (!name.ok()) return name.take_error();
            names[i] = *name;
        }
        if (PQenterPipelineMode(conn_) != 1) return PostgresError(conn_, nullptr, "pipeline");
        for (size_t i = 0; i < batch.size(); ++i) {
            int sent;
            if (batch[i].prepared) {
                Bound b = Bind(batch[i].params);
                sent = PQsendQueryPrepared(conn_, names[i].c_str(), static_cast<int>(b.values.size()), b.values.data(),
                                           b.lengths.data(), b.formats.data(), 0);
            } else {
                sent = PQsendQueryParams(conn_, batch[i].sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0);
            }
            if (sent != 1) break;
        }
        PQpipelineSync(conn_);
        std::optional<Error> failure;
        std::unique_ptr<PgResult> last;
        for (size_t i = 0; i < batch.size(); ++i) {
            auto result = std::make_unique<PgResult>(PQgetResult(conn_));
            if (!result->get()) break;  // the send loop stopped early
            const auto status = PQresultStatus(result->get());
            if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && !failure) {
                failure = status == PGRES_PIPELINE_ABORTED
                              ? Error::Internal("pipeline aborted")
                              : PostgresError(conn_, result->get(), "exec [" + batch[i].sql + "]");
            }
            PQclear(PQgetResult(conn_));  // the NULL that ends this statement's results
            if (i + 1 == batch.size()) last = std::move(result);
        }
        // Read up to the sync point, then leave pipeline mode.
        for (PGresult* r = PQgetResult(conn_); r; r = PQgetResult(conn_)) {
            const bool sync = PQresultStatus(r) == PGRES_PIPELINE_SYNC;
            PQclear(r);
            if (sync) break;
        }
        PQexitPipelineMode(conn_);
        if (failure) return *failure;
        if (!last) return PostgresError(conn_, nullptr, "pipeline send");
        return last;
    }

    Result<std::unique_ptr<PgResult>> Run(std::string_view sql, const Params& params) {
        auto name = Prepare(sql);
        if (!name.ok()) return name.take_error();
        std::vector<std::string> text(params.size());
        std::vector<const char*> values(params.size(), nullptr);
        std::vector<int> lengths(params.size(), 0);
        std::vector<int> formats(params.size(), 0);
        for (size_t i = 0; i < params.size(); ++i) {
            const auto& d = params[i].data();
            if (std::holds_alternative<std::monostate>(d)) continue;
            if (auto v = std::get_if<int64_t>(&d)) text[i] = std::to_string(*v);
            else if (auto v = std::get_if<double>(&d)) text[i] = std::to_string(*v);
            else if (auto v = std::get_if<std::string>(&d)) text[i] = *v;
            else if (auto v = std::get_if<Blob>(&d)) {
                text[i] = v->bytes;
                formats[i] = 1;  // binary: bytea goes as raw bytes
            }
            values[i] = text[i].data();
            lengths[i] = static_cast<int>(text[i].size());
        }
        auto result = std::make_unique<PgResult>(PQexecPrepared(conn_, name->c_str(), static_cast<int>(params.size()),
                                                                values.data(), lengths.data(), formats.data(), 0));
        const auto status = PQresultStatus(result->get());
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
            return PostgresError(conn_, result->get(), std::string("exec [") + std::string(sql) + "]");
        }
        return result;
    }

    Result<std::string> Prepare(std::string_view sql) {
        std::string key(sql);
        auto it = statements_.find(key);
        if (it != statements_.end()) return it->second;
        if (statements_.size() > 512) {
            (void)ExecScript("DEALLOCATE ALL");
            statements_.clear();
        }
        std::string name = "s" + std::to_string(++statement_counter_);
        PgResult r(PQprepare(conn_, name.c_str(), RewritePlaceholders(sql).c_str(), 0, nullptr));
        if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) {
            return PostgresError(conn_, r.get(), "prepare [" + key + "]");
        }
        statements_.emplace(std::move(key), name);
        return name;
    }

    static Value CellValue(PGresult* r, int row, int column) {
        if (PQgetisnull(r, row, column)) return Value();
        const char* text = PQgetvalue(r, row, column);
        const int length = PQgetlength(r, row, column);
        switch (PQftype(r, column)) {
            case kInt2Oid:
            case kInt4Oid:
            case kInt8Oid:
            case kOidOid: return Value(static_cast<int64_t>(std::stoll(text)));
            case kBoolOid: return Value(static_cast<int64_t>(text[0] == 't' ? 1 : 0));
            case kFloat4Oid:
            case kFloat8Oid: return Value(std::stod(text));
            case kNumericOid: {
                std::string s(text, length);
                if (s.find_first_of(".eE") == std::string::npos) return Value(static_cast<int64_t>(std::stoll(s)));
                return Value(std::stod(s));
            }
            case kByteaOid: return Value(Blob{DecodeBytea(text, length)});
            default: return Value(std::string(text, length));
        }
    }

    PGconn* conn_;
    std::unordered_map<std::string, std::string> statements_;
    uint64_t statement_counter_ = 0;
    std::vector<Pending> pending_;  // BEGIN and deferred writes not yet sent
};

class PostgresDatabase final : public Database {
public:
    PostgresDatabase(std::string description, std::vector<std::unique_ptr<Connection>> pool)
        : description_(std::move(description)), free_(std::move(pool)) {}

    Result<std::unique_ptr<Transaction>> Begin(TxMode mode) override {
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
        auto status = connection->Begin(mode == TxMode::kWrite);
        if (!status.ok()) {
            release(std::move(connection));
            return status.take_error();
        }
        return std::make_unique<Transaction>(std::move(connection), release);
    }

    Dialect dialect() const override { return Dialect::kPostgres; }
    std::string Describe() const override { return description_; }
    // autovacuum keeps PostgreSQL's statistics current.
    Status RefreshStatistics() override { return Ok(); }

private:
    std::string description_;
    std::mutex mutex_;
    std::condition_variable available_;
    std::vector<std::unique_ptr<Connection>> free_;
};

// The URL without its password, for logs.
std::string Redact(const std::string& url) {
    const size_t scheme = url.find("://");
    const size_t at = url.find('@');
    if (scheme == std::string::npos || at == std::string::npos) return url;
    const size_t colon = url.find(':', scheme + 3);
    if (colon == std::string::npos || colon > at) return url;
    return url.substr(0, colon) + ":***" + url.substr(at);
}

}  // namespace

std::string RewritePlaceholders(std::string_view sql) {
    std::string out;
    out.reserve(sql.size() + 16);
    int n = 0;
    char quote = 0;
    for (char c : sql) {
        if (quote) {
            if (c == quote) quote = 0;
            out.push_back(c);
        } else if (c == '\'' || c == '"') {
            quote = c;
            out.push_back(c);
        } else if (c == '?') {
            out += "$" + std::to_string(++n);
        } else {
            out.push_back(c);
        }
    }
    return out;
}

Result<std::unique_ptr<Database>> OpenPostgresDatabase(const std::string& url, int pool_size, int lock_timeout_ms) {
    std::vector<std::unique_ptr<Connection>> pool;
    for (int i = 0; i < std::max(pool_size, 1); ++i) {
        PGconn* conn = PQconnectdb(url.c_str());
        if (PQstatus(conn) != CONNECTION_OK) {
            Error e = Error::Internal("cannot connect to " + Redact(url) + ": " + PQerrorMessage(conn));
            PQfinish(conn);
            return e;
        }
        auto connection = std::make_unique<PostgresConnection>(conn);
        // UTC and UTF-8 regardless of the server's defaults; hex bytea for DecodeBytea.
        STORECRM_TRY(connection->ExecScript(
            "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'; SET bytea_output = 'hex'; SET client_min_messages = "
            "'warning'; SET lock_timeout = " + std::to_string(lock_timeout_ms) + ";"));
        pool.push_back(std::move(connection));
    }
    return std::unique_ptr<Database>(std::make_unique<PostgresDatabase>("postgres:" + Redact(url), std::move(pool)));
}

}  // namespace storecrm::storage
