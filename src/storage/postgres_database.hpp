#pragma once
// PostgreSQL backend through libpq: a fixed pool of connections, statements prepared once per
// connection (the repositories' `?` placeholders rewritten to `$n`), bytea sent in binary,
// SQLSTATEs mapped to the same errors SQLite gives (unique → kConflict, lock or serialization
// trouble → kBusy).

#include <memory>
#include <string>

#include "storage/database.hpp"

namespace storecrm::storage {

// `url`: postgresql://user[:password]@host[:port]/db[?params]. lock_timeout_ms bounds how long
// a statement waits for a row or table lock before the request fails with kBusy (503).
Result<std::unique_ptr<Database>> OpenPostgresDatabase(const std::string& url, int pool_size,
                                                       int lock_timeout_ms = 5000);

// "SELECT ? , '?' , ?" → "SELECT $1 , '?' , $2": placeholders outside quoted text.
std::string RewritePlaceholders(std::string_view sql);

}  // namespace storecrm::storage
