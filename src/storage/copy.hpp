#pragma once
// Copies a whole storecrm database between engines (SQLite ⇄ PostgreSQL): both are brought to
// the current schema, the target must hold no data of its own, every table is streamed in
// batches inside one target transaction (foreign keys checked at commit), identity sequences
// are moved past the copied ids, and the copy ends by comparing row counts and per-table
// checksums of both sides.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "storage/database.hpp"

namespace storecrm::storage {

struct TableSummary {
    std::string table;
    int64_t rows = 0;
    std::string checksum;  // hex BLAKE2b over the rows in key order
};

// progress(table, rows_done, rows_total) is called after every batch.
using CopyProgress = std::function<void(const std::string&, int64_t, int64_t)>;

Result<std::vector<TableSummary>> CopyDatabase(Database& from, Database& to, const CopyProgress& progress);

// Row count and checksum of every copied table, for comparing two databases.
Result<std::vector<TableSummary>> SummariseDatabase(Database& db);

}  // namespace storecrm::storage
