#pragma once
// The outbox's delivery: claims queued messages (queued → sending, with a lease, so a crashed
// instance's claim is taken over when the lease ends), sends each through its channel outside
// any transaction, and records sent / failed, or queued again with back-off. A message whose
// member withdrew marketing consent after it was queued is suppressed instead.

#include <cstdint>

#include "common/error.hpp"
#include "http/services.hpp"

namespace storecrm::marketing {

struct DeliveryOutcome {
    int64_t sent = 0, failed = 0, retried = 0, suppressed = 0;
};

inline constexpr int kMaxAttempts = 6;
// Seconds to wait before attempt `attempts` + 1: 30 s doubling, at most an hour.
int64_t RetryDelay(int attempts);

// Delivers what is due until nothing is or `budget_seconds` have passed.
Result<DeliveryOutcome> DeliverMessages(Services& services, int64_t budget_seconds = 50);

}  // namespace storecrm::marketing
