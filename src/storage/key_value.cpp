#include "storage/key_value.hpp"

namespace storecrm::storage {

Result<std::optional<std::string>> GetKeyValue(Transaction& tx, const std::string& table, const std::string& key) {
    auto row = tx.QueryOne("SELECT value FROM " + table + " WHERE key = ?", {key});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return std::optional<std::string>();
    return std::optional<std::string>((**row).Text(0));
}

Status PutKeyValue(Transaction& tx, const std::string& table, const std::string& key, const std::string& value) {
    auto r = tx.Exec("INSERT INTO " + table + " (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                     {key, value});
    return r.ok() ? Ok() : Status(r.take_error());
}

}  // namespace storecrm::storage
