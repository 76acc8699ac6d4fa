#include "security/audit.hpp"

#include "common/clock.hpp"

namespace storecrm::security {

Status WriteAudit(storage::Transaction& tx, const Principal& actor, const std::string& ip, const AuditEntry& entry) {
    auto r = tx.Exec(
        "INSERT INTO audit_log (at, actor_type, actor_id, actor_name, action, entity, entity_id, ip, detail) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {NowUnix(), actor.KindName(), actor.kind == Principal::Kind::kSystem ? storage::Value() : storage::Value(actor.id),
         actor.name, entry.action, entry.entity, entry.entity_id, ip, entry.detail.empty() ? "{}" : entry.detail});
    if (!r.ok()) return r.take_error();
    return Ok();
}

}  // namespace storecrm::security
