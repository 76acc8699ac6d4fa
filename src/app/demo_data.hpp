#pragma once
// The demo chain `make run` starts with: 3 stores in 2 regions, staff in every role, members
// with realistic Chinese names, phones, birthdays and tags. Deterministic (fixed seed).

#include "security/crypto.hpp"
#include "storage/database.hpp"

namespace storecrm::app {

// Does nothing (and returns true) if the database already has stores.
bool CreateDemoData(storage::Database& db, const security::FieldVault& vault, int member_count);

}  // namespace storecrm::app
