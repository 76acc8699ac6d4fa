#pragma once
// The route table: every route names its method, path pattern, permission, transaction kind
// and a summary. The dispatcher routes by it and openapi.json is generated from it, so the
// documentation cannot drift from what the server answers.

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "http/context.hpp"
#include "http/idempotency.hpp"
#include "http/request.hpp"
#include "storage/database.hpp"

namespace storecrm::http {

using Handler = std::function<Result<Response>(RequestContext&)>;
// Reads and checks a write route can do before it writes, leaving its findings in
// RequestContext::prepared. On SQLite it runs in a read transaction before the write lock is
// taken, so the one writer at a time spends its turn on writes only; elsewhere it runs at the
// start of the route's own transaction.
using Preparer = std::function<Status(RequestContext&)>;

inline constexpr const char* kPublic = "public";  // no sign-in needed
inline constexpr const char* kSignedIn = "";      // any signed-in caller

struct Route {
    std::string method;
    std::string pattern;     // "/api/v1/members/{id}"
    std::string permission;  // a permission code, kSignedIn or kPublic
    storage::TxMode tx = storage::TxMode::kRead;
    std::string tag;      // OpenAPI tag, e.g. "members"
    std::string summary;  // one line, English
    Handler handler;
    // Open before the account is set up (initial password changed, required 2FA enrolled):
    // sign-out, /me, password change, two-factor setup.
    bool allowed_before_password_change = false;
    bool staff_only = false;                       // not for API tokens (personal routes)
    std::string request_schema;   // optional JSON Schema (object) text for OpenAPI
    Idempotency idempotency = Idempotency::kNone;  // Idempotency-Key handling (POS retries)
    Preparer prepare;  // optional
};

class Router {
public:
    void Add(Route route);

    struct Match {
        const Route* route = nullptr;
        std::map<std::string, std::string> params;
        bool path_matched = false;  // a route exists for the path with another method
    };
    Match Find(const std::string& method, const std::string& path) const;
    const std::vector<Route>& routes() const { return routes_; }
    std::string OpenApiJson() const;

private:
    std::vector<Route> routes_;
    std::vector<std::vector<std::string>> segments_;
};

}  // namespace storecrm::http
