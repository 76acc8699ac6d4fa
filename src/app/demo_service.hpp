#pragma once
// Demo service history (calls, tasks, complaints, a survey, events, reminders) for the demo
// chain. Deterministic for the same members and day.

#include "security/crypto.hpp"
#include "storage/database.hpp"

namespace storecrm::app {

// Does nothing (and returns true) if the database already has complaints.
bool CreateDemoService(storage::Database& db, security::FieldVault& vault);

}  // namespace storecrm::app
