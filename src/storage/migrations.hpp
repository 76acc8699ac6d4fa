#pragma once
// Applies the versioned migrations compiled into the binary (migrations/<dialect>/NNNN_name.sql)
// that the database has not seen yet, each in its own transaction, in order.

#include <string>
#include <vector>

#include "storage/database.hpp"

namespace storecrm::storage {

// Returns the names of the migrations applied by this call (empty if already current).
Result<std::vector<std::string>> Migrate(Database& db);
Result<int> SchemaVersion(Database& db);

}  // namespace storecrm::storage
