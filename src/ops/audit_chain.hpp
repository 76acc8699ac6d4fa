#pragma once
// The audit log's hash chain: each entry's keyed hash covers the previous entry's hash and the
// entry's own fields, so changing, removing or slipping in an entry breaks every hash after
// it. The database refuses UPDATE and DELETE on both tables (migration 0010); the chain catches
// what someone with the file or superuser rights could still do.

#include <cstdint>
#include <optional>

#include "common/error.hpp"
#include "security/crypto.hpp"
#include "storage/database.hpp"

namespace storecrm::ops {

// Seals entries past the last sealed one, in id order, up to `max_entries` a call. On
// PostgreSQL only entries at least 5 s old are sealed: ids are handed out before commit, and a
// later id may commit first. Returns how many were sealed.
Result<int64_t> SealAuditChain(storage::Database& db, const security::FieldVault& vault, int64_t max_entries = 20000);

struct ChainReport {
    bool ok = true;
    int64_t checked = 0;
    int64_t sealed_through_id = 0;
    std::optional<int64_t> first_broken_id;
    int64_t unsealed = 0;  // entries after the sealed end, waiting for the next seal
};
Result<ChainReport> VerifyAuditChain(storage::Transaction& tx, const security::FieldVault& vault);

}  // namespace storecrm::ops
