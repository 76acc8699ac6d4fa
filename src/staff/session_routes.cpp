// Sign-in, sign-out, the signed-in user's own page (个人中心): password, language, sessions.
#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "security/crypto.hpp"
#include "security/login_throttle.hpp"
#include "security/password.hpp"
#include "security/session_service.hpp"
#include "staff/routes.hpp"
#include "staff/second_factor.hpp"
#include "staff/staff_service.hpp"

namespace storecrm::staff {
namespace {

using http::RequestContext;
using nlohmann::json;

Error Coded(ErrorCode code, const char* key, std::vector<std::pair<std::string, std::string>> args = {}) {
    Error e;
    e.code = code;
    e.message = {key, std::move(args)};
    return e;
}

std::string SessionCookie(const RequestContext& ctx, const std::string& token, int64_t max_age) {
    std::string cookie = std::string(security::kSessionCookie) + "=" + token +
                         "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age);
    if (ctx.services.sessions.secure_cookie) cookie += "; Secure";
    return cookie;
}

Result<json> MeJson(RequestContext& ctx, int64_t staff_id, const std::string& csrf) {
    auto user = StaffJson(ctx.tx, staff_id);
    if (!user.ok()) return user.take_error();
    auto principal = security::LoadStaffPrincipal(ctx.tx, staff_id);
    if (!principal.ok()) return principal.take_error();
    json permissions = json::array();
    for (const auto& p : principal->permissions) permissions.push_back(p);
    storage::Params params;
    std::string sql = "SELECT id, code, name FROM stores WHERE 1 = 1" +
                      security::StoreScopeClause(*principal, "id", params) + " ORDER BY code";
    auto stores = ctx.tx.Query(sql, params);
    if (!stores.ok()) return stores.take_error();
    json store_list = json::array();
    for (const auto& s : *stores) store_list.push_back({{"id", s.Int(0)}, {"code", s.Text(1)}, {"name", s.Text(2)}});
    auto totp = ctx.tx.QueryOne("SELECT totp_secret_enc IS NOT NULL FROM staff WHERE id = ?", {staff_id});
    if (!totp.ok()) return totp.take_error();
    auto required = RoleRequiresTotp(ctx.tx, staff_id);
    if (!required.ok()) return required.take_error();
    return json{{"user", *user},
                {"csrf_token", csrf},
                {"must_change_password", principal->must_change_password},
                {"totp_enabled", totp->has_value() && (*totp)->Int(0) != 0},
                {"must_enrol_totp", principal->must_enrol_totp},
                {"totp_required", *required},
                {"permissions", permissions},
                {"all_stores", principal->all_stores},
                {"stores", store_list}};
}

Result<http::Response> SignIn(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto username = body->Text("username", {.required = true, .max_chars = 64});
    auto password = body->Text("password", {.required = true, .max_chars = 1024, .raw = true});
    auto totp_code = body->Text("totp_code", {.max_chars = 16});
    STORECRM_TRY(body->Finish());
    const std::string name = NormalizeUsername(*username);
    if (!ctx.services.throttle->Allow(ctx.request.remote_ip, name)) {
        return Coded(ErrorCode::kRateLimited, "error.rate_limited");
    }
    auto row = ctx.tx.QueryOne(
        "SELECT id, password_hash, status, locked_until, failed_attempts, must_change_password, totp_secret_enc, "
        "totp_last_step, name FROM staff WHERE username = ?",
        {name});
    if (!row.ok()) return row.take_error();
    const int64_t now = NowUnix();
    const auto& policy = ctx.services.sessions;
    if (!row->has_value()) {
        // Same cost as a real check (one verification against a hash made once), so response
        // time does not reveal which usernames exist.
        static const std::string equaliser = security::HashPassword("timing-equaliser");
        security::VerifyPassword(equaliser, *password);
        return Coded(ErrorCode::kUnauthenticated, "error.bad_credentials");
    }
    const auto& r = **row;
    const int64_t staff_id = r.Int(0);
    ctx.principal.kind = security::Principal::Kind::kStaff;
    ctx.principal.id = staff_id;
    ctx.principal.username = name;
    // The audit log names the actor as every later entry of this staff member does.
    ctx.principal.name = r.Text(8).empty() ? name : r.Text(8);
    if (!r.IsNull(3) && r.Int(3) > now) {
        const int64_t minutes = (r.Int(3) - now + 59) / 60;
        return Coded(ErrorCode::kAccountLocked, "error.account_locked", {{"minutes", std::to_string(minutes)}});
    }
    // A wrong password and, once the password is right, a wrong one-time code count alike.
    bool wrong_code = false;
    const bool password_ok = security::VerifyPassword(r.Text(1), *password);
    if (password_ok && !r.IsNull(6)) {
        const std::string code = totp_code.value_or("");
        if (code.empty()) return Coded(ErrorCode::kTotpRequired, "error.totp_required");
        auto accepted = AcceptSecondFactor(ctx, staff_id, r.Text(6), r.Int(7), code);
        if (!accepted.ok()) return accepted.take_error();
        wrong_code = !*accepted;
    }
    if (!password_ok || wrong_code) {
        const int64_t failures = r.Int(4) + 1;
        const bool lock = failures >= policy.max_failed_attempts;
        STORECRM_TRY(ctx.tx.Exec("UPDATE staff SET failed_attempts = ?, locked_until = ? WHERE id = ?",
                                 {lock ? 0 : failures, lock ? storage::Value(now + policy.lock_seconds) : storage::Value(),
                                  staff_id}));
        STORECRM_TRY(ctx.Audit({"session.sign_in_failed", "staff", std::to_string(staff_id),
                                json{{"locked", lock}, {"failures", failures}, {"second_factor", wrong_code}}.dump()}));
        // The failure count must survive the error response, so commit it here.
        STORECRM_TRY(ctx.tx.Commit());
        if (lock) {
            return Coded(ErrorCode::kAccountLocked, "error.account_locked",
                         {{"minutes", std::to_string(policy.lock_seconds / 60)}});
        }
        if (wrong_code) return Coded(ErrorCode::kTotpInvalid, "error.totp_invalid");
        return Coded(ErrorCode::kUnauthenticated, "error.bad_credentials");
    }
    if (r.Text(2) != "active") return Coded(ErrorCode::kForbidden, "error.account_disabled");

    const std::string token = security::RandomToken();
    const std::string csrf = security::RandomToken(24);
    STORECRM_TRY(ctx.tx.Exec("UPDATE staff SET failed_attempts = 0, locked_until = NULL, last_login_at = ? WHERE id = ?",
                             {now, staff_id}));
    std::string user_agent(ctx.request.Header("user-agent").substr(0, 255));
    auto session = ctx.tx.QueryOne(
        "INSERT INTO sessions (token_hash, staff_id, csrf_token, created_at, last_seen_at, expires_at, ip, user_agent) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {security::HashToken(token), staff_id, csrf, now, now, now + policy.absolute_timeout_seconds,
         ctx.request.remote_ip, user_agent});
    if (!session.ok()) return session.take_error();
    STORECRM_TRY(ctx.Audit({"session.sign_in", "staff", std::to_string(staff_id), "{}"}));
    auto me = MeJson(ctx, staff_id, csrf);
    if (!me.ok()) return me.take_error();
    ctx.response_headers.emplace_back("Set-Cookie", SessionCookie(ctx, token, policy.absolute_timeout_seconds));
    return http::JsonOk(*me);
}

Result<http::Response> SignOut(RequestContext& ctx) {
    if (ctx.principal.session_id) {
        STORECRM_TRY(ctx.tx.Exec("UPDATE sessions SET revoked_at = ? WHERE id = ?", {NowUnix(), ctx.principal.session_id}));
        STORECRM_TRY(ctx.Audit({"session.sign_out", "staff", std::to_string(ctx.principal.id), "{}"}));
    }
    ctx.response_headers.emplace_back("Set-Cookie", SessionCookie(ctx, "", 0));
    return http::Response::NoContent();
}

Result<http::Response> GetMe(RequestContext& ctx) {
    auto me = MeJson(ctx, ctx.principal.id, ctx.principal.csrf_token);
    if (!me.ok()) return me.take_error();
    return http::JsonOk(*me);
}

Result<http::Response> ChangePassword(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto current = body->Text("current_password", {.required = true, .max_chars = 1024, .raw = true});
    auto next = body->Text("new_password", {.required = true, .max_chars = 1024, .raw = true});
    STORECRM_TRY(body->Finish());
    if (!ctx.services.throttle->Allow(ctx.request.remote_ip, ctx.principal.username)) {
        return Coded(ErrorCode::kRateLimited, "error.rate_limited");
    }
    auto row = ctx.tx.QueryOne("SELECT password_hash FROM staff WHERE id = ?", {ctx.principal.id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value() || !security::VerifyPassword((*row)->Text(0), *current)) {
        return Error::Field("current_password", "field.password_wrong");
    }
    if (*current == *next) return Error::Field("new_password", "field.password_same");
    STORECRM_TRY(CheckPassword("new_password", *next, ctx.principal.username));
    STORECRM_TRY(SetPassword(ctx.tx, ctx.principal.id, *next, false));
    // A changed password ends every other session: whoever knew the old one is out.
    STORECRM_TRY(ctx.tx.Exec("UPDATE sessions SET revoked_at = ? WHERE staff_id = ? AND id <> ? AND revoked_at IS NULL",
                             {NowUnix(), ctx.principal.id, ctx.principal.session_id}));
    STORECRM_TRY(ctx.Audit({"staff.change_password", "staff", std::to_string(ctx.principal.id), "{}"}));
    return http::Response::NoContent();
}

Result<http::Response> SetLocale(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto locale = body->Choice("locale", {"zh-CN", "en"}, true);
    STORECRM_TRY(body->Finish());
    STORECRM_TRY(ctx.tx.Exec("UPDATE staff SET locale = ? WHERE id = ?", {*locale, ctx.principal.id}));
    return http::Response::NoContent();
}

Result<http::Response> ListSessions(RequestContext& ctx) {
    const int64_t now = NowUnix();
    auto rows = ctx.tx.Query(
        "SELECT id, created_at, last_seen_at, ip, user_agent FROM sessions WHERE staff_id = ? AND revoked_at IS NULL "
        "AND expires_at > ? AND last_seen_at > ? ORDER BY last_seen_at DESC",
        {ctx.principal.id, now, now - ctx.services.sessions.idle_timeout_seconds});
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) {
        items.push_back({{"id", r.Int(0)},
                         {"created_at", FormatIsoUtc(r.Int(1))},
                         {"last_seen_at", FormatIsoUtc(r.Int(2))},
                         {"ip", r.Text(3)},
                         {"user_agent", r.Text(4)},
                         {"current", r.Int(0) == ctx.principal.session_id}});
    }
    return http::PageResponse(std::move(items), "", static_cast<int64_t>(rows->size()));
}

Result<http::Response> RevokeSession(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto r = ctx.tx.Exec("UPDATE sessions SET revoked_at = ? WHERE id = ? AND staff_id = ? AND revoked_at IS NULL",
                         {NowUnix(), *id, ctx.principal.id});
    if (!r.ok()) return r.take_error();
    if (r->changes == 0) return Error::NotFound();
    STORECRM_TRY(ctx.Audit({"session.revoke", "session", std::to_string(*id), "{}"}));
    return http::Response::NoContent();
}

Result<http::Response> RevokeOtherSessions(RequestContext& ctx) {
    auto r = ctx.tx.Exec("UPDATE sessions SET revoked_at = ? WHERE staff_id = ? AND id <> ? AND revoked_at IS NULL",
                         {NowUnix(), ctx.principal.id, ctx.principal.session_id});
    if (!r.ok()) return r.take_error();
    STORECRM_TRY(ctx.Audit({"session.revoke_others", "staff", std::to_string(ctx.principal.id),
                            json{{"count", r->changes}}.dump()}));
    return http::Response::NoContent();
}

}  // namespace

void RegisterSessionRoutes(http::Router& router) {
    using storage::TxMode;
    router.Add({.method = "POST", .pattern = "/api/v1/session", .permission = http::kPublic, .tx = TxMode::kWrite,
                .tag = "session", .summary = "Sign in with username and password; sets the session cookie",
                .handler = SignIn,
                .request_schema = R"({"type":"object","required":["username","password"],"properties":{"username":{"type":"string"},"password":{"type":"string"},"totp_code":{"type":"string"}}})"});
    router.Add({.method = "DELETE", .pattern = "/api/v1/session", .permission = http::kSignedIn, .tx = TxMode::kWrite,
                .tag = "session", .summary = "Sign out", .handler = SignOut, .allowed_before_password_change = true,
                .staff_only = true});
    router.Add({.method = "GET", .pattern = "/api/v1/me", .permission = http::kSignedIn, .tx = TxMode::kRead,
                .tag = "session", .summary = "The signed-in user, permissions, stores and CSRF token", .handler = GetMe,
                .allowed_before_password_change = true, .staff_only = true});
    router.Add({.method = "PUT", .pattern = "/api/v1/me/password", .permission = http::kSignedIn, .tx = TxMode::kWrite,
                .tag = "session", .summary = "Change my password", .handler = ChangePassword,
                .allowed_before_password_change = true, .staff_only = true,
                .request_schema = R"({"type":"object","required":["current_password","new_password"],"properties":{"current_password":{"type":"string"},"new_password":{"type":"string"}}})"});
    router.Add({.method = "PUT", .pattern = "/api/v1/me/locale", .permission = http::kSignedIn, .tx = TxMode::kWrite,
                .tag = "session", .summary = "Remember my language", .handler = SetLocale,
                .allowed_before_password_change = true, .staff_only = true});
    router.Add({.method = "GET", .pattern = "/api/v1/me/sessions", .permission = http::kSignedIn, .tx = TxMode::kRead,
                .tag = "session", .summary = "My active sessions", .handler = ListSessions, .staff_only = true});
    router.Add({.method = "DELETE", .pattern = "/api/v1/me/sessions/{id}", .permission = http::kSignedIn,
                .tx = TxMode::kWrite, .tag = "session", .summary = "Sign out one of my sessions",
                .handler = RevokeSession, .staff_only = true});
    router.Add({.method = "DELETE", .pattern = "/api/v1/me/sessions", .permission = http::kSignedIn,
                .tx = TxMode::kWrite, .tag = "session", .summary = "Sign out all my other sessions",
                .handler = RevokeOtherSessions, .staff_only = true});
}

}  // namespace storecrm::staff
