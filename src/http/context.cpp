#include "http/context.hpp"

#include <charconv>

namespace storecrm::http {

Result<int64_t> RequestContext::PathId(const std::string& name) const {
    auto it = request.path_params.find(name);
    if (it == request.path_params.end()) return Error::NotFound();
    int64_t id = 0;
    const std::string& text = it->second;
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || ptr != text.data() + text.size() || id <= 0) return Error::NotFound();
    return id;
}

Status RequestContext::Audit(security::AuditEntry entry) {
    if (read_only_) {
        deferred_audit_.push_back(std::move(entry));
        return Ok();
    }
    return security::WriteAudit(tx, principal, request.remote_ip, entry);
}

}  // namespace storecrm::http
