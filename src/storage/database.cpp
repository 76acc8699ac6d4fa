#include "storage/database.hpp"

#include "storage/postgres_database.hpp"
#include "storage/sqlite_database.hpp"

namespace storecrm::storage {

std::string PaddedInList(Params& params, size_t from) {
    if (params.size() <= from) return "";
    const size_t count = params.size() - from;
    size_t padded = 1;
    while (padded < count) padded *= 2;
    const Value last = params.back();
    params.resize(from + padded, last);
    std::string in = "?";
    for (size_t i = 1; i < padded; ++i) in += ", ?";
    return in;
}

int64_t Row::Int(size_t i) const {
    const auto& d = values_.at(i).data();
    if (auto p = std::get_if<int64_t>(&d)) return *p;
    if (auto p = std::get_if<double>(&d)) return static_cast<int64_t>(*p);
    if (auto p = std::get_if<std::string>(&d)) return std::stoll(*p);
    return 0;
}

double Row::Real(size_t i) const {
    const auto& d = values_.at(i).data();
    if (auto p = std::get_if<double>(&d)) return *p;
    if (auto p = std::get_if<int64_t>(&d)) return static_cast<double>(*p);
    if (auto p = std::get_if<std::string>(&d)) return std::stod(*p);
    return 0;
}

std::string Row::Text(size_t i) const {
    const auto& d = values_.at(i).data();
    if (auto p = std::get_if<std::string>(&d)) return *p;
    if (auto p = std::get_if<int64_t>(&d)) return std::to_string(*p);
    if (auto p = std::get_if<double>(&d)) return std::to_string(*p);
    if (auto p = std::get_if<Blob>(&d)) return p->bytes;
    return {};
}

std::optional<std::string> Row::OptText(size_t i) const {
    if (IsNull(i)) return std::nullopt;
    return Text(i);
}

std::optional<int64_t> Row::OptInt(size_t i) const {
    if (IsNull(i)) return std::nullopt;
    return Int(i);
}

std::string Row::BlobBytes(size_t i) const { return Text(i); }

Transaction::Transaction(std::unique_ptr<Connection> connection,
                         std::function<void(std::unique_ptr<Connection>)> release)
    : connection_(std::move(connection)), release_(std::move(release)) {}

Transaction::~Transaction() {
    if (!done_) connection_->Rollback();
    release_(std::move(connection_));
}

Result<Rows> Transaction::Query(std::string_view sql, const Params& params) { return connection_->Query(sql, params); }

Result<std::optional<Row>> Transaction::QueryOne(std::string_view sql, const Params& params) {
    auto rows = connection_->Query(sql, params);
    if (!rows.ok()) return rows.take_error();
    if (rows->empty()) return std::optional<Row>{};
    return std::optional<Row>{std::move(rows->front())};
}

Result<ExecResult> Transaction::Exec(std::string_view sql, const Params& params) {
    return connection_->Exec(sql, params);
}

Status Transaction::Defer(std::string_view sql, const Params& params) { return connection_->Defer(sql, params); }

Status Transaction::Commit() {
    auto status = connection_->Commit();
    if (status.ok()) done_ = true;
    return status;
}

Result<std::unique_ptr<Database>> OpenDatabase(const std::string& url, int pool_size) {
    if (url.rfind("postgres://", 0) == 0 || url.rfind("postgresql://", 0) == 0) {
        return OpenPostgresDatabase(url, pool_size);
    }
    return OpenSqliteDatabase(url, pool_size);
}

}  // namespace storecrm::storage
