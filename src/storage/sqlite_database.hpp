#pragma once
// SQLite backend: WAL, synchronous=FULL (a sale acknowledged to a till survives a power cut),
// foreign keys on, a busy timeout, one connection per pooled slot with a prepared-statement
// cache, and BEGIN IMMEDIATE for writes so writers queue instead of failing mid-transaction.

#include <memory>
#include <string>

#include "storage/database.hpp"

namespace storecrm::storage {

Result<std::unique_ptr<Database>> OpenSqliteDatabase(const std::string& path, int pool_size);

}  // namespace storecrm::storage
