#include "staff/staff_service.hpp"

#include <set>

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "security/password.hpp"
#include "security/permissions.hpp"

namespace storecrm::staff {

std::string NormalizeUsername(std::string username) {
    std::transform(username.begin(), username.end(), username.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return username;
}

Status CheckPassword(const std::string& field, const std::string& password, const std::string& username) {
    auto violations = security::PasswordRuleViolations(password, username);
    if (violations.empty()) return Ok();
    return Error::Field(field, violations.front());
}

Status SetPassword(storage::Transaction& tx, int64_t staff_id, const std::string& password, bool must_change) {
    auto r = tx.Exec(
        "UPDATE staff SET password_hash = ?, must_change_password = ?, failed_attempts = 0, locked_until = NULL, "
        "version = version + 1, updated_at = ? WHERE id = ?",
        {security::HashPassword(password), must_change, NowUnix(), staff_id});
    if (!r.ok()) return r.take_error();
    return Ok();
}

Status ReplaceStores(storage::Transaction& tx, int64_t staff_id, const std::vector<int64_t>& store_ids) {
    for (int64_t store_id : store_ids) {
        auto row = tx.QueryOne("SELECT 1 FROM stores WHERE id = ?", {store_id});
        if (!row.ok()) return row.take_error();
        if (!row->has_value()) return Error::Field("store_ids", "field.not_found");
    }
    STORECRM_TRY(tx.Exec("DELETE FROM staff_stores WHERE staff_id = ?", {staff_id}));
    for (int64_t store_id : store_ids) {
        STORECRM_TRY(tx.Exec("INSERT INTO staff_stores (staff_id, store_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                             {staff_id, store_id}));
    }
    return Ok();
}

Result<int64_t> CreateStaff(storage::Transaction& tx, const NewStaff& input) {
    const std::string username = NormalizeUsername(input.username);
    auto taken = tx.QueryOne("SELECT 1 FROM staff WHERE username = ?", {username});
    if (!taken.ok()) return taken.take_error();
    if (taken->has_value()) return Error::Conflict("username", "field.username_taken");
    auto role = tx.QueryOne("SELECT 1 FROM roles WHERE id = ?", {input.role_id});
    if (!role.ok()) return role.take_error();
    if (!role->has_value()) return Error::Field("role_id", "field.not_found");
    STORECRM_TRY(CheckPassword("password", input.password, username));
    const int64_t now = NowUnix();
    auto row = tx.QueryOne(
        "INSERT INTO staff (username, name, role_id, password_hash, must_change_password, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {username, input.name, input.role_id, security::HashPassword(input.password), input.must_change_password, now,
         now});
    if (!row.ok()) return row.take_error();
    const int64_t id = (*row)->Int(0);
    STORECRM_TRY(ReplaceStores(tx, id, input.store_ids));
    return id;
}

Result<nlohmann::json> StaffJson(storage::Transaction& tx, int64_t staff_id) {
    auto row = tx.QueryOne(
        "SELECT st.id, st.username, st.name, st.role_id, r.code, r.name, st.status, st.locked_until, "
        "st.must_change_password, st.last_login_at, st.locale, st.version, st.created_at, "
        "st.totp_secret_enc IS NOT NULL FROM staff st JOIN roles r ON r.id = st.role_id WHERE st.id = ?",
        {staff_id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Error::NotFound();
    const auto& r = **row;
    auto stores = tx.Query("SELECT store_id FROM staff_stores WHERE staff_id = ? ORDER BY store_id", {staff_id});
    if (!stores.ok()) return stores.take_error();
    nlohmann::json store_ids = nlohmann::json::array();
    for (const auto& s : *stores) store_ids.push_back(s.Int(0));
    const int64_t now = NowUnix();
    nlohmann::json locked_until = nullptr;
    if (!r.IsNull(7) && r.Int(7) > now) locked_until = FormatIsoUtc(r.Int(7));
    return nlohmann::json{
        {"id", r.Int(0)},
        {"username", r.Text(1)},
        {"name", r.Text(2)},
        {"role_id", r.Int(3)},
        {"role_code", r.Text(4)},
        {"role_name", r.Text(5)},
        {"status", r.Text(6)},
        {"locked_until", locked_until},
        {"must_change_password", r.Int(8) != 0},
        {"last_login_at", r.IsNull(9) ? nlohmann::json(nullptr) : nlohmann::json(FormatIsoUtc(r.Int(9)))},
        {"locale", r.Text(10)},
        {"version", r.Int(11)},
        {"created_at", FormatIsoUtc(r.Int(12))},
        {"store_ids", store_ids},
        {"totp_enabled", r.Int(13) != 0},
    };
}

std::string StaffScopeClause(const security::Principal& principal, const std::string& column, storage::Params& params) {
    if (principal.all_stores) return "";
    // Staff who see every store (HQ) belong to no store's scope, whatever stores they are listed in.
    std::string clause = " AND " + column +
                         " IN (SELECT ss.staff_id FROM staff_stores ss JOIN staff s ON s.id = ss.staff_id "
                         "JOIN roles r ON r.id = s.role_id WHERE r.all_stores = 0 AND ss.store_id IN (";
    if (principal.store_ids.empty()) return " AND 1 = 0";
    for (size_t i = 0; i < principal.store_ids.size(); ++i) {
        clause += i ? ", ?" : "?";
        params.push_back(principal.store_ids[i]);
    }
    return clause + "))";
}

Result<int64_t> RoleIdByCode(storage::Transaction& tx, const std::string& code) {
    auto row = tx.QueryOne("SELECT id FROM roles WHERE code = ?", {code});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Error::NotFound();
    return (*row)->Int(0);
}

// A migration that adds a domain leaves a marker row in `sequences` at 0; the first start after
// it gives the built-in roles that domain's permissions (roles created earlier lack them), once,
// so an admin's later edits of a built-in role are not undone at the next start.
Status GrantNewBuiltinPermissions(storage::Transaction& tx) {
    auto markers = tx.Query("SELECT name FROM sequences WHERE name LIKE 'builtin_roles.%' AND value = 0");
    if (!markers.ok()) return markers.take_error();
    if (markers->empty()) return Ok();
    for (const auto& role : security::BuiltinRoles()) {
        auto row = tx.QueryOne("SELECT id, permissions FROM roles WHERE code = ? AND builtin = 1", {role.code});
        if (!row.ok()) return row.take_error();
        if (!row->has_value()) continue;
        auto stored = nlohmann::json::parse((*row)->Text(1), nullptr, false);
        if (!stored.is_array()) continue;
        std::set<std::string> have;
        for (const auto& p : stored) {
            if (p.is_string()) have.insert(p.get<std::string>());
        }
        bool changed = false;
        for (const auto& p : role.permissions) changed |= have.insert(p).second;
        if (changed) {
            STORECRM_TRY(tx.Exec("UPDATE roles SET permissions = ?, version = version + 1 WHERE id = ?",
                                 {nlohmann::json(have).dump(), (*row)->Int(0)}));
        }
    }
    STORECRM_TRY(tx.Exec("UPDATE sequences SET value = 1 WHERE name LIKE 'builtin_roles.%' AND value = 0"));
    return Ok();
}

Status EnsureBuiltinRoles(storage::Transaction& tx) {
    const int64_t now = NowUnix();
    for (const auto& role : security::BuiltinRoles()) {
        nlohmann::json permissions = role.permissions;
        STORECRM_TRY(tx.Exec(
            "INSERT INTO roles (code, name, permissions, all_stores, builtin, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, 1, ?, ?) ON CONFLICT (code) DO NOTHING",
            {role.code, role.name_zh, permissions.dump(), role.all_stores, now, now}));
    }
    return GrantNewBuiltinPermissions(tx);
}

}  // namespace storecrm::staff
