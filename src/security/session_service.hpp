#pragma once
// Staff sign-in, sessions and API-token authentication.
// Sessions: a random token in an HttpOnly SameSite=Strict cookie; the database keeps only its
// hash, the CSRF token, and the idle/absolute deadlines (so any instance can serve any session).

#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "http/request.hpp"
#include "http/services.hpp"
#include "security/principal.hpp"
#include "storage/database.hpp"

namespace storecrm::security {

inline constexpr const char* kSessionCookie = "storecrm_session";

struct Authenticated {
    Principal principal;
    bool touch_session = false;  // last_seen_at is stale enough to be worth a write
};

Result<Authenticated> Authenticate(storage::Transaction& tx, const Services& services, const http::Request& request);
Status TouchSession(storage::Transaction& tx, int64_t session_id);

// Loads the principal of a staff member (permissions, stores) without a session.
Result<Principal> LoadStaffPrincipal(storage::Transaction& tx, int64_t staff_id);

}  // namespace storecrm::security
