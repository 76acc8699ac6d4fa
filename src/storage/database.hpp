#pragma once
// The storage interface every repository uses. SQL is written once with `?` placeholders and
// `RETURNING` (both SQLite >= 3.35 and PostgreSQL accept it); a backend rewrites what differs.
// Dialect differences that cannot be rewritten are switched on Transaction::dialect() inside
// repositories, never in services.
//
// Thread-safety: Database is shared by all worker threads; a Transaction belongs to one thread.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "common/error.hpp"

namespace storecrm::storage {

enum class Dialect { kSqlite, kPostgres };

struct Blob {
    std::string bytes;
};

class Value {
public:
    Value() = default;
    Value(std::nullopt_t) {}
    Value(int v) : data_(static_cast<int64_t>(v)) {}
    Value(int64_t v) : data_(v) {}
    Value(long long v) : data_(static_cast<int64_t>(v)) {}
    Value(bool v) : data_(static_cast<int64_t>(v ? 1 : 0)) {}
    Value(double v) : data_(v) {}
    Value(std::string v) : data_(std::move(v)) {}
    Value(std::string_view v) : data_(std::string(v)) {}
    Value(const char* v) : data_(std::string(v)) {}
    Value(Blob v) : data_(std::move(v)) {}
    template <typename T>
    Value(const std::optional<T>& v) {
        if (v) *this = Value(*v);
    }

    bool is_null() const { return data_.index() == 0; }
    const std::variant<std::monostate, int64_t, double, std::string, Blob>& data() const { return data_; }

private:
    std::variant<std::monostate, int64_t, double, std::string, Blob> data_;
};

using Params = std::vector<Value>;

// "?, ?, …" for an IN list made of params[from, end): pads that tail to a power-of-two length by
// repeating its last value (IN ignores repeats). Each connection caches one prepared statement
// per SQL text, and a text per list length grew the server by tens of MB an hour under steady
// sales (bench/soak found it); padded, a query has at most ~10 texts. "" when the tail is empty.
std::string PaddedInList(Params& params, size_t from);

// The IN list of ids[from, to), appended to `params` and padded as above (callers chunk long
// lists so one statement stays under the engines' parameter limits).
template <typename Id>
std::string InList(const std::vector<Id>& ids, size_t from, size_t to, Params& params) {
    const size_t first = params.size();
    for (size_t i = from; i < to && i < ids.size(); ++i) params.emplace_back(static_cast<int64_t>(ids[i]));
    return PaddedInList(params, first);
}

// One result row; columns are read by position in the order of the SELECT list.
class Row {
public:
    explicit Row(std::vector<Value> values) : values_(std::move(values)) {}
    bool IsNull(size_t i) const { return values_.at(i).is_null(); }
    int64_t Int(size_t i) const;
    double Real(size_t i) const;
    std::string Text(size_t i) const;           // "" for NULL
    std::optional<std::string> OptText(size_t i) const;
    std::optional<int64_t> OptInt(size_t i) const;
    std::string BlobBytes(size_t i) const;      // "" for NULL
    size_t size() const { return values_.size(); }
    const Value& At(size_t i) const { return values_.at(i); }

private:
    std::vector<Value> values_;
};

using Rows = std::vector<Row>;

struct ExecResult {
    int64_t changes = 0;
};

// A live database connection. Backends implement this; repositories see only Transaction.
class Connection {
public:
    virtual ~Connection() = default;
    virtual Result<Rows> Query(std::string_view sql, const Params& params) = 0;
    virtual Result<ExecResult> Exec(std::string_view sql, const Params& params) = 0;
    virtual Status ExecScript(std::string_view sql) = 0;  // several statements, no parameters
    // A write whose outcome the caller does not need at once: the backend may hold it back and
    // send it with the next statement or the COMMIT (PostgreSQL pipelines them into one round
    // trip). Its failure surfaces from that later call, and fails the transaction.
    virtual Status Defer(std::string_view sql, const Params& params) {
        auto r = Exec(sql, params);
        if (!r.ok()) return r.take_error();
        return Ok();
    }
    virtual Status Begin(bool write) = 0;
    virtual Status Commit() = 0;
    virtual void Rollback() = 0;
    virtual Dialect dialect() const = 0;
};

enum class TxMode { kRead, kWrite };

// One unit of work. Rolls back on destruction unless Commit() succeeded.
class Transaction {
public:
    Transaction(std::unique_ptr<Connection> connection, std::function<void(std::unique_ptr<Connection>)> release);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;

    Result<Rows> Query(std::string_view sql, const Params& params = {});
    // The first row, or nullopt if none.
    Result<std::optional<Row>> QueryOne(std::string_view sql, const Params& params = {});
    Result<ExecResult> Exec(std::string_view sql, const Params& params = {});
    // See Connection::Defer: for writes whose row count does not matter (ledger inserts, stock
    // moves); a failure comes back from a later call or from Commit().
    Status Defer(std::string_view sql, const Params& params = {});
    Status Commit();
    Dialect dialect() const { return connection_->dialect(); }
    Connection& connection() { return *connection_; }

private:
    std::unique_ptr<Connection> connection_;
    std::function<void(std::unique_ptr<Connection>)> release_;
    bool done_ = false;
};

class Database {
public:
    virtual ~Database() = default;
    // REQUIRES: the caller holds no other Transaction on this thread (the pool could deadlock).
    // kWrite starts an immediate (SQLite) / read-write (PostgreSQL) transaction; a database
    // that stays busy past its timeout yields ErrorCode::kBusy.
    virtual Result<std::unique_ptr<Transaction>> Begin(TxMode mode) = 0;
    virtual Dialect dialect() const = 0;
    virtual std::string Describe() const = 0;
    // Refreshes the planner's statistics where the engine needs telling (SQLite has no
    // auto-analyze: without statistics it walks the created_at index for a last-4 lookup).
    virtual Status RefreshStatistics() = 0;
};

// Opens the database named by `url`: a file path (SQLite) or postgresql://... (later).
// Creates the file and its directory if missing. Does not migrate.
Result<std::unique_ptr<Database>> OpenDatabase(const std::string& url, int pool_size);

}  // namespace storecrm::storage
