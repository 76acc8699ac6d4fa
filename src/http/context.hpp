#pragma once
// Everything a handler sees: the request, the caller, their language, the route's transaction.

#include <any>
#include <cstdint>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "common/messages.hpp"
#include "http/request.hpp"
#include "http/services.hpp"
#include "security/audit.hpp"
#include "security/principal.hpp"
#include "storage/database.hpp"

namespace storecrm::http {

class RequestContext {
public:
    RequestContext(const Request& request, Locale locale, security::Principal principal, storage::Transaction& tx,
                   Services& services, bool read_only)
        : request(request), locale(locale), principal(std::move(principal)), tx(tx), services(services),
          read_only_(read_only) {}

    const Request& request;
    Locale locale;
    security::Principal principal;
    storage::Transaction& tx;
    Services& services;

    // A positive integer path parameter; anything else is a 404 (a guessed id reveals nothing).
    Result<int64_t> PathId(const std::string& name = "id") const;

    // Records an audit entry: in the route's transaction for writes, or just before the
    // response is sent for read routes (so a view is never shown without its audit record).
    Status Audit(security::AuditEntry entry);
    std::vector<security::AuditEntry>& deferred_audit() { return deferred_audit_; }

    // What the route's Preparer found (see router.hpp), for its handler.
    std::any prepared;

    // Extra headers or cookies a handler wants on a successful response.
    std::vector<std::pair<std::string, std::string>> response_headers;

private:
    bool read_only_;
    std::vector<security::AuditEntry> deferred_audit_;
};

}  // namespace storecrm::http
