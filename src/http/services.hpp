#pragma once
// What handlers may use besides their request: the database, the field vault and the
// policies from configuration. Built once in app/ and shared by every worker thread.

#include <cstdint>

#include "security/crypto.hpp"
#include "storage/database.hpp"

namespace storecrm::security {
class LoginThrottle;
}
namespace storecrm::jobs {
class Scheduler;
}
namespace storecrm::analytics {
class SalesStore;
}
namespace storecrm::marketing {
class AudienceIndex;
}

namespace storecrm {

struct SessionPolicy {
    int64_t idle_timeout_seconds = 2 * 3600;      // a till left alone for 2 h signs out
    int64_t absolute_timeout_seconds = 12 * 3600;  // one shift; sign in again next day
    int max_failed_attempts = 5;
    int64_t lock_seconds = 15 * 60;
    bool secure_cookie = false;  // set when served over HTTPS behind a proxy
};

struct Services {
    storage::Database* db = nullptr;
    security::FieldVault* vault = nullptr;
    security::LoginThrottle* throttle = nullptr;
    jobs::Scheduler* scheduler = nullptr;  // for "run now"; absent in tools without one
    analytics::SalesStore* analytics = nullptr;  // the in-memory sales columns
    marketing::AudienceIndex* audience = nullptr;  // the in-memory member attributes for segments
    SessionPolicy sessions;
    bool test_clock = false;  // serve --test-clock: the clock may be moved by API
};

}  // namespace storecrm
