#include "security/session_service.hpp"

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "security/crypto.hpp"

namespace storecrm::security {
namespace {

constexpr int64_t kTouchEverySeconds = 60;

Error Unauthenticated() {
    Error e;
    e.code = ErrorCode::kUnauthenticated;
    e.message = {"error.unauthenticated", {}};
    return e;
}

void ReadPermissions(const std::string& json_text, Principal& principal) {
    auto list = nlohmann::json::parse(json_text, nullptr, false);
    if (!list.is_array()) return;
    for (const auto& p : list) {
        if (p.is_string()) principal.permissions.insert(p.get<std::string>());
    }
}

Status LoadStores(storage::Transaction& tx, Principal& principal) {
    auto rows = tx.Query("SELECT store_id FROM staff_stores WHERE staff_id = ? ORDER BY store_id", {principal.id});
    if (!rows.ok()) return rows.take_error();
    for (const auto& row : *rows) principal.store_ids.push_back(row.Int(0));
    return Ok();
}

Result<Authenticated> AuthenticateToken(storage::Transaction& tx, std::string_view token) {
    auto row = tx.QueryOne(
        "SELECT id, name, store_id, permissions FROM api_tokens WHERE token_hash = ? AND revoked_at IS NULL",
        {HashToken(token)});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Unauthenticated();
    const auto& r = **row;
    Authenticated auth;
    auth.principal.kind = Principal::Kind::kApiToken;
    auth.principal.id = r.Int(0);
    auth.principal.name = r.Text(1);
    auth.principal.store_ids = {r.Int(2)};
    ReadPermissions(r.Text(3), auth.principal);
    return auth;
}

}  // namespace

Result<Principal> LoadStaffPrincipal(storage::Transaction& tx, int64_t staff_id) {
    auto row = tx.QueryOne(
        "SELECT st.username, st.name, st.role_id, st.must_change_password, st.locale, r.permissions, r.all_stores, "
        "st.status, st.totp_secret_enc IS NOT NULL, r.code, "
        "(SELECT value FROM ops_settings WHERE key = 'security.totp_required_roles') "
        "FROM staff st JOIN roles r ON r.id = st.role_id WHERE st.id = ?",
        {staff_id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Unauthenticated();
    const auto& r = **row;
    Principal p;
    p.kind = Principal::Kind::kStaff;
    p.id = staff_id;
    p.username = r.Text(0);
    p.name = r.Text(1);
    p.role_id = r.Int(2);
    p.must_change_password = r.Int(3) != 0;
    p.locale = ParseLocale(r.Text(4));
    ReadPermissions(r.Text(5), p);
    p.all_stores = r.Int(6) != 0;
    if (r.Text(7) != "active") return Unauthenticated();
    // The setting is a JSON array of role codes, e.g. ["hq_admin"].
    p.must_enrol_totp = r.Int(8) == 0 && !r.IsNull(10) && r.Text(10).find('"' + r.Text(9) + '"') != std::string::npos;
    STORECRM_TRY(LoadStores(tx, p));
    return p;
}

Result<Authenticated> Authenticate(storage::Transaction& tx, const Services& services, const http::Request& request) {
    std::string_view authorization = request.Header("authorization");
    if (authorization.size() > 7 && (authorization.substr(0, 7) == "Bearer " || authorization.substr(0, 7) == "bearer ")) {
        return AuthenticateToken(tx, authorization.substr(7));
    }
    const std::string token = request.Cookie(kSessionCookie);
    if (token.empty()) return Unauthenticated();
    auto row = tx.QueryOne(
        "SELECT id, staff_id, csrf_token, last_seen_at, expires_at, revoked_at FROM sessions WHERE token_hash = ?",
        {HashToken(token)});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Unauthenticated();
    const auto& r = **row;
    const int64_t now = NowUnix();
    if (!r.IsNull(5) || now >= r.Int(4) || now - r.Int(3) > services.sessions.idle_timeout_seconds) {
        return Unauthenticated();
    }
    auto principal = LoadStaffPrincipal(tx, r.Int(1));
    if (!principal.ok()) return principal.take_error();
    Authenticated auth;
    auth.principal = std::move(principal).value();
    auth.principal.session_id = r.Int(0);
    auth.principal.csrf_token = r.Text(2);
    auth.touch_session = now - r.Int(3) >= kTouchEverySeconds;
    return auth;
}

Status TouchSession(storage::Transaction& tx, int64_t session_id) {
    auto r = tx.Exec("UPDATE sessions SET last_seen_at = ? WHERE id = ?", {NowUnix(), session_id});
    if (!r.ok()) return r.take_error();
    return Ok();
}

}  // namespace storecrm::security
