#include "ops/key_rotation.hpp"

#include <spdlog/spdlog.h>

#include "marketing/marketing_settings.hpp"
#include "security/sealed_text.hpp"

namespace storecrm::ops {
namespace {

struct EncryptedColumn {
    const char* table;
    const char* key;
    const char* column;
    bool sealed_text;  // base64 text (security::SealText) rather than a blob
};

// Every column holding vault ciphertext. A new one must be added here, or rotation leaves it
// on the old key (the status route would still count it as done).
const std::vector<EncryptedColumn>& EncryptedColumns() {
    static const std::vector<EncryptedColumn> columns = {
        {"members", "id", "phone_enc", false},          {"members", "id", "email_enc", false},
        {"members", "id", "wechat_enc", false},         {"members", "id", "address_enc", false},
        {"members", "id", "birthday_enc", false},       {"member_history", "id", "old_enc", false},
        {"member_history", "id", "new_enc", false},     {"messages", "id", "recipient_enc", false},
        {"webhooks", "id", "secret_enc", false},        {"member_guardians", "member_id", "phone_enc", false},
        {"staff", "id", "totp_secret_enc", true},       {"staff", "id", "totp_pending_enc", true},
        {"webhooks", "id", "previous_secret_enc", false},
    };
    return columns;
}

// The SQL test "first byte is not the current generation" for a blob column.
std::string StaleBlob(storage::Dialect dialect, const std::string& column) {
    return dialect == storage::Dialect::kSqlite ? "hex(substr(" + column + ", 1, 1)) <> ?" : "get_byte(" + column + ", 0) <> ?";
}

storage::Value GenerationParam(storage::Dialect dialect, int generation) {
    if (dialect == storage::Dialect::kPostgres) return storage::Value(static_cast<int64_t>(generation));
    char hex[3];
    std::snprintf(hex, sizeof hex, "%02X", generation);
    return storage::Value(std::string(hex));
}

std::string Raw(const storage::Row& r, size_t i, bool sealed_text) {
    return sealed_text ? security::Base64Decode(r.Text(i)) : r.BlobBytes(i);
}

}  // namespace

Result<nlohmann::json> KeyRotationStatus(storage::Transaction& tx, const security::FieldVault& vault) {
    const int current = vault.CurrentGeneration();
    nlohmann::json stale = nlohmann::json::object();
    int64_t remaining = 0;
    for (const auto& c : EncryptedColumns()) {
        int64_t n = 0;
        if (c.sealed_text) {
            auto rows = tx.Query(std::string("SELECT ") + c.column + " FROM " + c.table + " WHERE " + c.column + " IS NOT NULL");
            if (!rows.ok()) return rows.take_error();
            for (const auto& r : *rows) n += security::FieldVault::GenerationOf(Raw(r, 0, true)) != current;
        } else {
            auto row = tx.QueryOne(std::string("SELECT COUNT(*) FROM ") + c.table + " WHERE " + c.column +
                                       " IS NOT NULL AND " + StaleBlob(tx.dialect(), c.column),
                                   {GenerationParam(tx.dialect(), current)});
            if (!row.ok()) return row.take_error();
            n = (*row)->Int(0);
        }
        stale[std::string(c.table) + "." + c.column] = n;
        remaining += n;
    }
    return nlohmann::json{{"current_generation", current},
                          {"generations", vault.Generations()},
                          {"stale", stale},
                          {"remaining", remaining},
                          {"done", remaining == 0}};
}

Result<int64_t> ReencryptStale(storage::Database& db, const security::FieldVault& vault, const std::string& key_file,
                               int64_t budget) {
    if (!key_file.empty()) STORECRM_TRY(vault.Reload(key_file));
    const int current = vault.CurrentGeneration();
    if (vault.Generations().size() == 1) return 0;  // never rotated
    int64_t moved = 0;
    for (const auto& c : EncryptedColumns()) {
        for (;;) {
            if (moved >= budget) return moved;
            auto tx = db.Begin(storage::TxMode::kWrite);
            if (!tx.ok()) return tx.take_error();
            const std::string where = c.sealed_text ? std::string(c.column) + " IS NOT NULL"
                                                    : std::string(c.column) + " IS NOT NULL AND " +
                                                          StaleBlob((*tx)->dialect(), c.column);
            storage::Params params;
            if (!c.sealed_text) params.push_back(GenerationParam((*tx)->dialect(), current));
            auto rows = (*tx)->Query(std::string("SELECT ") + c.key + ", " + c.column + " FROM " + c.table + " WHERE " +
                                         where + " ORDER BY " + c.key + " LIMIT 500",
                                     params);
            if (!rows.ok()) return rows.take_error();
            int64_t changed = 0;
            for (const auto& r : *rows) {
                const std::string old = Raw(r, 1, c.sealed_text);
                if (security::FieldVault::GenerationOf(old) == current) continue;
                auto plain = vault.Decrypt(old);
                if (!plain) {
                    spdlog::error("key rotation: {}.{} of {} {} does not decrypt under any known generation", c.table,
                                  c.column, c.key, r.Int(0));
                    continue;
                }
                const std::string fresh = vault.Encrypt(*plain);
                storage::Value value = c.sealed_text ? storage::Value(security::Base64Encode(fresh))
                                                     : storage::Value(storage::Blob{fresh});
                STORECRM_TRY((*tx)->Exec(std::string("UPDATE ") + c.table + " SET " + c.column + " = ? WHERE " + c.key +
                                             " = ?",
                                         {value, r.Int(0)}));
                ++changed;
            }
            STORECRM_TRY((*tx)->Commit());
            moved += changed;
            // Text columns are scanned whole in one pass; blobs until no stale row is left.
            if (c.sealed_text || changed == 0) break;
        }
    }
    // Provider secrets inside the marketing settings document: loading decrypts, saving
    // encrypts with the current generation (only when one is stale: saving bumps its version).
    auto tx = db.Begin(storage::TxMode::kWrite);
    if (!tx.ok()) return tx.take_error();
    auto doc = (*tx)->QueryOne("SELECT value FROM marketing_settings WHERE key = 'settings'");
    if (!doc.ok()) return doc.take_error();
    bool stale_secret = false;
    if (doc->has_value()) {
        auto parsed = nlohmann::json::parse((*doc)->Text(0), nullptr, false);
        for (const char* field : {"sms_secret_enc", "smtp_password_enc"}) {
            if (parsed.is_object() && parsed.contains(field) && parsed[field].is_string()) {
                const auto raw = security::Base64Decode(parsed[field].get<std::string>());
                stale_secret = stale_secret || security::FieldVault::GenerationOf(raw) != current;
            }
        }
    }
    if (stale_secret) {
        auto settings = marketing::LoadMarketingSettings(**tx, vault);
        if (!settings.ok()) return settings.take_error();
        STORECRM_TRY(marketing::SaveMarketingSettings(**tx, vault, *settings));
        STORECRM_TRY((*tx)->Commit());
        ++moved;
    }
    if (moved > 0) spdlog::info("key rotation: {} values moved to generation {}", moved, current);
    return moved;
}

}  // namespace storecrm::ops
