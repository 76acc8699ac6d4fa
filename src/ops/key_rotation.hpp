#pragma once
// Moving personal data to the newest encryption key generation after `storecrm key rotate`,
// in the background and in small batches while the server serves (both generations decrypt
// meanwhile), and telling the admin how much is left.

#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "security/crypto.hpp"
#include "storage/database.hpp"

namespace storecrm::ops {

// Values per encrypted column still under an older generation, and their sum.
Result<nlohmann::json> KeyRotationStatus(storage::Transaction& tx, const security::FieldVault& vault);

// Re-reads the key file, then re-encrypts up to `budget` stale values (500 per transaction).
// Returns how many it moved.
Result<int64_t> ReencryptStale(storage::Database& db, const security::FieldVault& vault, const std::string& key_file,
                               int64_t budget = 20000);

}  // namespace storecrm::ops
