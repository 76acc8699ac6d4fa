#include "storage/copy.hpp"

#include <sodium.h>

#include <algorithm>

namespace storecrm::storage {
namespace {

struct TableSpec {
    const char* name;
    const char* order_by;      // the key, for a stable order on both engines
    const char* batch_column;  // an integer column to walk in ranges
    bool identity;             // has an identity id whose sequence must move on (PostgreSQL)
};

// Parents before children; schema_migrations stays with each database.
const std::vector<TableSpec>& Tables() {
    static const std::vector<TableSpec> tables = {
        {"stores", "id", "id", true},
        {"roles", "id", "id", true},
        {"staff", "id", "id", true},
        {"staff_stores", "staff_id, store_id", "staff_id", false},
        {"sessions", "id", "id", true},
        {"api_tokens", "id", "id", true},
        {"audit_log", "id", "id", true},
        {"sequences", "name", nullptr, false},
        {"tag_groups", "id", "id", true},
        {"tags", "id", "id", true},
        {"custom_field_defs", "id", "id", true},
        {"members", "id", "id", true},
        {"member_search_keys", "member_id, key", "member_id", false},
        {"member_tags", "member_id, tag_id", "member_id", false},
        {"member_consents", "id", "id", true},
        {"member_history", "id", "id", true},
        {"product_categories", "id", "id", true},
        {"products", "id", "id", true},
        {"stock", "store_id, product_id", "store_id", false},
        {"stock_movements", "id", "id", true},
        {"tiers", "id", "id", true},
        {"tier_changes", "id", "id", true},
        {"loyalty_settings", "key", nullptr, false},
        {"coupon_templates", "id", "id", true},
        {"coupons", "id", "id", true},
        {"sales", "id", "id", true},
        {"sale_lines", "id", "id", true},
        {"sale_payments", "id", "id", true},
        {"sale_coupons", "sale_id, coupon_id", "sale_id", false},
        {"refunds", "id", "id", true},
        {"refund_lines", "refund_id, sale_line_id", "refund_id", false},
        {"points_lots", "id", "id", true},
        {"points_ledger", "id", "id", true},
        {"points_lot_draws", "ledger_id, lot_id", "ledger_id", false},
        {"referrals", "id", "id", true},
        {"idempotency_keys", "owner, key", nullptr, false},
        {"behaviour_grants", "member_id, kind, period", "member_id", false},
        {"gifts", "id", "id", true},
        {"gift_redemptions", "id", "id", true},
        {"gift_voucher_codes", "id", "id", true},
        {"receipt_templates", "id", "id", true},
        {"service_settings", "key", nullptr, false},
        {"tasks", "id", "id", true},
        {"interactions", "id", "id", true},
        {"guide_handovers", "id", "id", true},
        {"reminders", "member_id, kind, occasion", "member_id", false},
        {"complaints", "id", "id", true},
        {"complaint_events", "id", "id", true},
        {"surveys", "id", "id", true},
        {"member_events", "id", "id", true},
        {"event_attendees", "event_id, member_id", "event_id", false},
        {"survey_links", "id", "id", true},
        {"survey_answers", "link_id", "link_id", false},
        {"messages", "id", "id", true},
        {"otp_codes", "id", "id", true},
        {"member_sessions", "id", "id", true},
        {"privacy_notices", "version", nullptr, false},
        {"deletion_requests", "id", "id", true},
        {"import_refs", "source, kind, external_id", nullptr, false},
        {"member_values", "member_id", "member_id", false},
        {"marketing_settings", "key", nullptr, false},
        {"segments", "id", "id", true},
        {"tag_rules", "id", "id", true},
        {"campaigns", "id", "id", true},
        {"campaign_runs", "id", "id", true},
        {"campaign_recipients", "id", "id", true},
        {"domain_events", "id", "id", true},
        {"webhooks", "id", "id", true},
        {"webhook_deliveries", "id", "id", true},
        {"targets", "id", "id", true},
        {"staff_recovery_codes", "id", "id", true},
        {"ops_settings", "key", nullptr, false},
        {"audit_chain", "audit_id", "audit_id", false},
        {"imports", "id", "id", true},
        {"member_guardians", "member_id", "member_id", false},
    };
    return tables;
}

constexpr int64_t kBatchIds = 2000;

Result<std::vector<std::string>> Columns(Transaction& tx, const std::string& table) {
    auto rows = tx.dialect() == Dialect::kSqlite
                    ? tx.Query("SELECT name FROM pragma_table_info(?) ORDER BY cid", {table})
                    : tx.Query("SELECT column_name FROM information_schema.columns WHERE table_schema = "
                               "current_schema() AND table_name = ? ORDER BY ordinal_position",
                               {table});
    if (!rows.ok()) return rows.take_error();
    std::vector<std::string> columns;
    for (const auto& r : *rows) columns.push_back(r.Text(0));
    std::sort(columns.begin(), columns.end());  // the engines may order them differently
    return columns;
}

std::string Join(const std::vector<std::string>& items, const std::string& separator) {
    std::string out;
    for (size_t i = 0; i < items.size(); ++i) out += (i ? separator : "") + items[i];
    return out;
}

// Feeds one value into the checksum with its kind, so 1 and "1" hash apart.
void HashValue(crypto_generichash_state& state, const Value& value) {
    const auto& d = value.data();
    std::string encoded;
    if (std::holds_alternative<std::monostate>(d)) encoded = "n";
    else if (auto v = std::get_if<int64_t>(&d)) encoded = "i" + std::to_string(*v);
    else if (auto v = std::get_if<double>(&d)) encoded = "d" + std::to_string(*v);
    else if (auto v = std::get_if<std::string>(&d)) encoded = "t" + *v;
    else if (auto v = std::get_if<Blob>(&d)) encoded = "b" + v->bytes;
    const uint64_t length = encoded.size();
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(&length), sizeof length);
    crypto_generichash_update(&state, reinterpret_cast<const unsigned char*>(encoded.data()), encoded.size());
}

// Calls `each` with every batch of rows of `spec` (columns in `columns` order).
Status ForEachBatch(Transaction& tx, const TableSpec& spec, const std::vector<std::string>& columns,
                    const std::function<Status(const Rows&)>& each) {
    const std::string select = "SELECT " + Join(columns, ", ") + " FROM " + spec.name;
    if (!spec.batch_column) {
        auto rows = tx.Query(select + " ORDER BY " + spec.order_by);
        if (!rows.ok()) return rows.take_error();
        return each(*rows);
    }
    auto bounds = tx.QueryOne(std::string("SELECT MIN(") + spec.batch_column + "), MAX(" + spec.batch_column +
                              ") FROM " + spec.name);
    if (!bounds.ok()) return bounds.take_error();
    if ((**bounds).IsNull(0)) return Ok();
    const int64_t low = (**bounds).Int(0), high = (**bounds).Int(1);
    for (int64_t from = low; from <= high; from += kBatchIds) {
        auto rows = tx.Query(select + " WHERE " + spec.batch_column + " >= ? AND " + spec.batch_column + " < ? ORDER BY " +
                                 spec.order_by,
                             {from, from + kBatchIds});
        if (!rows.ok()) return rows.take_error();
        STORECRM_TRY(each(*rows));
    }
    return Ok();
}

std::string Hex(const unsigned char* bytes, size_t n) {
    std::string out(n * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), bytes, n);
    out.resize(n * 2);
    return out;
}

Result<TableSummary> Summarise(Transaction& tx, const TableSpec& spec) {
    auto columns = Columns(tx, spec.name);
    if (!columns.ok()) return columns.take_error();
    crypto_generichash_state state;
    crypto_generichash_init(&state, nullptr, 0, 32);
    TableSummary summary{spec.name, 0, ""};
    STORECRM_TRY(ForEachBatch(tx, spec, *columns, [&](const Rows& rows) -> Status {
        for (const auto& row : rows) {
            for (size_t c = 0; c < row.size(); ++c) HashValue(state, row.At(c));
            ++summary.rows;
        }
        return Ok();
    }));
    unsigned char digest[32];
    crypto_generichash_final(&state, digest, sizeof digest);
    summary.checksum = Hex(digest, sizeof digest);
    return summary;
}

Status RequireEmpty(Transaction& tx) {
    for (const auto& spec : Tables()) {
        const std::string name = spec.name;
        // Migrations seed the preset tag library, sequences, loyalty settings, the receipt layout,
        // the privacy notice and the sign-in policy; anything else is data.
        if (name == "tag_groups" || name == "tags" || name == "sequences" || name == "loyalty_settings" ||
            name == "privacy_notices" || name == "receipt_templates" || name == "ops_settings") {
            continue;
        }
        auto count = tx.QueryOne("SELECT COUNT(*) FROM " + name);
        if (!count.ok()) return count.take_error();
        if ((**count).Int(0) > 0) {
            Error e;
            e.code = ErrorCode::kConflict;
            e.message = {"error.conflict", {}};
            e.internal_detail = "the target database already holds data (table " + name + ")";
            return e;
        }
    }
    return Ok();
}

}  // namespace

Result<std::vector<TableSummary>> SummariseDatabase(Database& db) {
    auto tx = db.Begin(TxMode::kRead);
    if (!tx.ok()) return tx.take_error();
    std::vector<TableSummary> summaries;
    for (const auto& spec : Tables()) {
        auto summary = Summarise(**tx, spec);
        if (!summary.ok()) return summary.take_error();
        summaries.push_back(std::move(*summary));
    }
    return summaries;
}

Result<std::vector<TableSummary>> CopyDatabase(Database& from, Database& to, const CopyProgress& progress) {
    {
        auto target = to.Begin(TxMode::kWrite);
        if (!target.ok()) return target.take_error();
        auto& tx = **target;
        STORECRM_TRY(RequireEmpty(tx));
        // Foreign keys are checked at commit: members refer to members with higher ids.
        STORECRM_TRY(tx.connection().ExecScript(tx.dialect() == Dialect::kSqlite ? "PRAGMA defer_foreign_keys = ON"
                                                                                 : "SET CONSTRAINTS ALL DEFERRED"));
        for (const char* seeded :
             {"tags", "tag_groups", "sequences", "loyalty_settings", "receipt_templates", "privacy_notices", "ops_settings"}) {
            STORECRM_TRY(tx.Exec(std::string("DELETE FROM ") + seeded));
        }
        auto source = from.Begin(TxMode::kRead);
        if (!source.ok()) return source.take_error();
        for (const auto& spec : Tables()) {
            auto columns = Columns(**source, spec.name);
            if (!columns.ok()) return columns.take_error();
            auto target_columns = Columns(tx, spec.name);
            if (!target_columns.ok()) return target_columns.take_error();
            if (*columns != *target_columns) {
                return Error::Internal(std::string("table ") + spec.name + " has different columns on the two sides");
            }
            auto total = (*source)->QueryOne(std::string("SELECT COUNT(*) FROM ") + spec.name);
            if (!total.ok()) return total.take_error();
            const int64_t rows_total = (**total).Int(0);
            std::string insert = std::string("INSERT INTO ") + spec.name + " (" + Join(*columns, ", ") + ") VALUES (";
            for (size_t i = 0; i < columns->size(); ++i) insert += i ? ", ?" : "?";
            insert += ")";
            int64_t done = 0;
            STORECRM_TRY(ForEachBatch(**source, spec, *columns, [&](const Rows& rows) -> Status {
                for (const auto& row : rows) {
                    Params params;
                    params.reserve(row.size());
                    for (size_t c = 0; c < row.size(); ++c) params.push_back(row.At(c));
                    STORECRM_TRY(tx.Exec(insert, params));
                }
                done += static_cast<int64_t>(rows.size());
                if (progress) progress(spec.name, done, rows_total);
                return Ok();
            }));
            if (progress && rows_total == 0) progress(spec.name, 0, 0);
            if (spec.identity && tx.dialect() == Dialect::kPostgres) {
                // Copied ids were given explicitly; move the identity past them.
                STORECRM_TRY(tx.Query(std::string("SELECT setval(pg_get_serial_sequence('") + spec.name +
                                      "', 'id'), COALESCE(MAX(id), 0) + 1, false) FROM " + spec.name));
            }
        }
        STORECRM_TRY(tx.Commit());
    }
    // Verify: both sides, every table, rows and checksums.
    auto source_summary = SummariseDatabase(from);
    if (!source_summary.ok()) return source_summary.take_error();
    auto target_summary = SummariseDatabase(to);
    if (!target_summary.ok()) return target_summary.take_error();
    for (size_t i = 0; i < source_summary->size(); ++i) {
        const auto& a = (*source_summary)[i];
        const auto& b = (*target_summary)[i];
        if (a.rows != b.rows || a.checksum != b.checksum) {
            return Error::Internal("verification failed for table " + a.table + ": " + std::to_string(a.rows) + " rows / " +
                                   a.checksum.substr(0, 12) + " vs " + std::to_string(b.rows) + " rows / " +
                                   b.checksum.substr(0, 12));
        }
    }
    return source_summary;
}

}  // namespace storecrm::storage
