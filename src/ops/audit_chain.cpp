#include "ops/audit_chain.hpp"

#include "common/clock.hpp"

namespace storecrm::ops {
namespace {

constexpr int64_t kPostgresSettleSeconds = 5;
constexpr const char* kEntryColumns =
    "id, at, actor_type, COALESCE(actor_id, 0), actor_name, action, entity, entity_id, ip, detail";

// Fields joined by the unit separator, which no field holds (they are single-line text). Keyed
// by the master key: someone who can write the database but lacks the key file cannot rebuild
// the chain after changing an entry.
std::string EntryHash(const security::FieldVault& vault, const std::string& previous, const storage::Row& r) {
    std::string text = previous;
    text += '\x1f' + std::to_string(r.Int(0)) + '\x1f' + std::to_string(r.Int(1)) + '\x1f' + r.Text(2) + '\x1f' +
            std::to_string(r.Int(3)) + '\x1f' + r.Text(4) + '\x1f' + r.Text(5) + '\x1f' + r.Text(6) + '\x1f' +
            r.Text(7) + '\x1f' + r.Text(8) + '\x1f' + r.Text(9);
    return security::SignatureHex(vault, "audit-chain", text);
}

}  // namespace

Result<int64_t> SealAuditChain(storage::Database& db, const security::FieldVault& vault, int64_t max_entries) {
    auto tx_result = db.Begin(storage::TxMode::kWrite);
    if (!tx_result.ok()) return tx_result.take_error();
    auto& tx = **tx_result;
    auto last = tx.QueryOne("SELECT audit_id, hash FROM audit_chain ORDER BY audit_id DESC LIMIT 1");
    if (!last.ok()) return last.take_error();
    int64_t last_id = last->has_value() ? (*last)->Int(0) : 0;
    std::string previous = last->has_value() ? (*last)->Text(1) : "";
    const int64_t newest_at =
        tx.dialect() == storage::Dialect::kPostgres ? NowUnix() - kPostgresSettleSeconds : INT64_MAX;
    auto rows = tx.Query(std::string("SELECT ") + kEntryColumns +
                             " FROM audit_log WHERE id > ? AND at <= ? ORDER BY id LIMIT ?",
                         {last_id, newest_at, max_entries});
    if (!rows.ok()) return rows.take_error();
    for (const auto& r : *rows) {
        previous = EntryHash(vault, previous, r);
        STORECRM_TRY(tx.Exec("INSERT INTO audit_chain (audit_id, hash) VALUES (?, ?)", {r.Int(0), previous}));
    }
    STORECRM_TRY(tx.Commit());
    return static_cast<int64_t>(rows->size());
}

Result<ChainReport> VerifyAuditChain(storage::Transaction& tx, const security::FieldVault& vault) {
    ChainReport report;
    std::string previous;
    int64_t after = 0;
    int64_t first_unsealed = 0;  // since the last sealed entry (ids start at 1)
    auto broken = [&](int64_t id) {
        if (report.ok) report.first_broken_id = id;
        report.ok = false;
    };
    constexpr int64_t kBatch = 5000;
    for (;;) {
        auto rows = tx.Query(std::string("SELECT ") + kEntryColumns +
                                 ", c.hash FROM audit_log a LEFT JOIN audit_chain c ON c.audit_id = a.id "
                                 "WHERE a.id > ? ORDER BY a.id LIMIT ?",
                             {after, kBatch});
        if (!rows.ok()) return rows.take_error();
        for (const auto& r : *rows) {
            after = r.Int(0);
            if (r.IsNull(10)) {
                if (first_unsealed == 0) first_unsealed = after;
                continue;
            }
            ++report.checked;
            // An unsealed entry before a sealed one was slipped in after sealing.
            if (first_unsealed != 0) broken(first_unsealed);
            first_unsealed = 0;
            if (EntryHash(vault, previous, r) != r.Text(10)) broken(after);
            previous = r.Text(10);
            report.sealed_through_id = after;
        }
        if (static_cast<int64_t>(rows->size()) < kBatch) break;
    }
    if (first_unsealed != 0) {
        auto waiting = tx.QueryOne("SELECT COUNT(*) FROM audit_log WHERE id >= ?", {first_unsealed});
        if (!waiting.ok()) return waiting.take_error();
        report.unsealed = (*waiting)->Int(0);
    }
    // Chain rows whose entry is gone (possible only with the triggers dropped).
    auto orphans = tx.QueryOne(
        "SELECT MIN(c.audit_id) FROM audit_chain c LEFT JOIN audit_log a ON a.id = c.audit_id WHERE a.id IS NULL");
    if (!orphans.ok()) return orphans.take_error();
    if (orphans->has_value() && !(*orphans)->IsNull(0)) {
        const int64_t gone = (*orphans)->Int(0);
        if (!report.ok && *report.first_broken_id < gone) return report;
        report.ok = true;  // so that broken() takes the earlier id
        broken(gone);
    }
    return report;
}

}  // namespace storecrm::ops
