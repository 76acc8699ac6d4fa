#pragma once
// Settings tables of (key TEXT PRIMARY KEY, value TEXT): read one value, or replace it, the same
// way on both engines.

#include <optional>
#include <string>

#include "storage/database.hpp"

namespace storecrm::storage {

Result<std::optional<std::string>> GetKeyValue(Transaction& tx, const std::string& table, const std::string& key);
Status PutKeyValue(Transaction& tx, const std::string& table, const std::string& key, const std::string& value);

}  // namespace storecrm::storage
