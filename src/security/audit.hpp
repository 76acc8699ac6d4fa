#pragma once
// The audit log: who did what to which record, when and from where. Written in the same
// transaction as the change it records (or, for views, just before the data is sent).

#include <string>

#include "security/principal.hpp"
#include "storage/database.hpp"

namespace storecrm::security {

struct AuditEntry {
    std::string action;     // "member.update", "member.view_pii", ...
    std::string entity;     // "member"
    std::string entity_id;  // "42"
    std::string detail;     // a JSON object, "{}" if nothing more to say
};

Status WriteAudit(storage::Transaction& tx, const Principal& actor, const std::string& ip, const AuditEntry& entry);

}  // namespace storecrm::security
