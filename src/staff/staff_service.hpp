#pragma once
// Staff accounts and roles: creation with an initial password, edits, disabling, unlocking,
// password changes, and the JSON shape of a staff member and a role.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/error.hpp"
#include "common/messages.hpp"
#include "security/principal.hpp"
#include "storage/database.hpp"

namespace storecrm::staff {

struct NewStaff {
    std::string username;
    std::string name;
    int64_t role_id = 0;
    std::vector<int64_t> store_ids;
    std::string password;
    bool must_change_password = true;  // an admin-chosen password is only a first key
};

// Validates references (role, stores) and the password rules; writes staff + staff_stores.
Result<int64_t> CreateStaff(storage::Transaction& tx, const NewStaff& input);
Result<nlohmann::json> StaffJson(storage::Transaction& tx, int64_t staff_id);
Status ReplaceStores(storage::Transaction& tx, int64_t staff_id, const std::vector<int64_t>& store_ids);
// Checks the password rules; returns field errors against `field`.
Status CheckPassword(const std::string& field, const std::string& password, const std::string& username);
Status SetPassword(storage::Transaction& tx, int64_t staff_id, const std::string& password, bool must_change);

// " AND <column> IN (store-limited staff of the caller's stores)" for a caller limited to some
// stores; empty
// for one who sees every store. For routes naming a staff member (handovers, the audit log).
std::string StaffScopeClause(const security::Principal& principal, const std::string& column, storage::Params& params);

Result<int64_t> RoleIdByCode(storage::Transaction& tx, const std::string& code);
// Creates the built-in roles that are missing (idempotent).
Status EnsureBuiltinRoles(storage::Transaction& tx);

std::string NormalizeUsername(std::string username);

}  // namespace storecrm::staff
