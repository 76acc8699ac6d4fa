#pragma once
// Reminders 智能提醒: the daily pass that turns birthdays, the member day, purchase cycles,
// dormancy and expiring points into tasks for the member's guide, per store and in the
// store's time zone. Dormancy fires when a member's silence crosses the threshold (within a
// week of it), cycles when the next visit is due within two days. Each fires once per member and occasion (the reminders table's key), so
// running the pass twice, or on two instances at once, creates nothing twice.

#include <cstdint>

#include "common/error.hpp"
#include "security/crypto.hpp"
#include "storage/database.hpp"

namespace storecrm::service {

struct ReminderCounts {
    int64_t birthday = 0, member_day = 0, cycle = 0, dormancy = 0, points_expiry = 0;
    int64_t Total() const { return birthday + member_day + cycle + dormancy + points_expiry; }
};

// One pass over every active store at `now`. Each store is its own transaction.
Result<ReminderCounts> RunReminders(storage::Database& db, const security::FieldVault& vault, int64_t now);

}  // namespace storecrm::service
