#pragma once
// SQLite backend: WAL, synchronous=FULL (a sale acknowledged to a till survives a power cut),
// foreign keys on, a busy timeout, one connection per pooled slot with a prepared-statement
// cache, and BEGIN IMMEDIATE for writes so writers queue instead of failing mid-transaction.

#include <memory>
#include <string>

#include "storage/database.hpp"

namespace storecrm::storage {

// busy_timeout_ms: how long a writer waits for another writer (in this process or another)
// before the request fails with ErrorCode::kBusy (503 + Retry-After).
Result<std::unique_ptr<Database>> OpenSqliteDatabase(const std::string& path, int pool_size, int busy_timeout_ms = 5000);

}  // namespace storecrm::storage
