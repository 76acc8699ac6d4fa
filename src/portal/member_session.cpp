#include "portal/member_session.hpp"

#include "common/clock.hpp"
#include "security/crypto.hpp"

namespace storecrm::portal {
namespace {

Error Coded(ErrorCode code, const char* key) {
    Error e;
    e.code = code;
    e.message = {key, {}};
    return e;
}

std::string Cookie(const http::RequestContext& ctx, const std::string& token, int64_t max_age) {
    std::string cookie = std::string(kMemberCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                         std::to_string(max_age);
    if (ctx.services.sessions.secure_cookie) cookie += "; Secure";
    return cookie;
}

}  // namespace

Result<std::string> OpenMemberSession(http::RequestContext& ctx, int64_t member_id) {
    const std::string token = security::RandomToken();
    const std::string csrf = security::RandomToken(24);
    const int64_t now = NowUnix();
    STORECRM_TRY(ctx.tx.Exec(
        "INSERT INTO member_sessions (token_hash, member_id, csrf_token, created_at, last_seen_at, expires_at, ip, "
        "user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {security::HashToken(token), member_id, csrf, now, now, now + kMemberSessionSeconds, ctx.request.remote_ip,
         std::string(ctx.request.Header("user-agent").substr(0, 255))}));
    ctx.response_headers.emplace_back("Set-Cookie", Cookie(ctx, token, kMemberSessionSeconds));
    return csrf;
}

Result<MemberAuth> AuthenticateMember(http::RequestContext& ctx) {
    const std::string token = ctx.request.Cookie(kMemberCookie);
    if (token.empty()) return Coded(ErrorCode::kUnauthenticated, "error.unauthenticated");
    auto row = ctx.tx.QueryOne(
        "SELECT s.id, s.member_id, s.csrf_token FROM member_sessions s JOIN members m ON m.id = s.member_id "
        "WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND m.status = 'active'",
        {security::HashToken(token), NowUnix()});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Coded(ErrorCode::kUnauthenticated, "error.unauthenticated");
    MemberAuth auth{(*row)->Int(1), (*row)->Int(0), (*row)->Text(2)};
    const bool reading = ctx.request.method == "GET" || ctx.request.method == "HEAD";
    if (!reading && std::string(ctx.request.Header("x-csrf-token")) != auth.csrf_token) {
        return Coded(ErrorCode::kCsrfFailed, "error.csrf_failed");
    }
    return auth;
}

void ClearMemberCookie(http::RequestContext& ctx) { ctx.response_headers.emplace_back("Set-Cookie", Cookie(ctx, "", 0)); }

security::Principal MemberActor(int64_t member_id) {
    security::Principal p;
    p.kind = security::Principal::Kind::kSystem;
    p.id = 0;
    p.name = "会员本人 member #" + std::to_string(member_id);
    p.all_stores = true;
    p.permissions = {"members.read", "members.create", "members.update", "members.pii"};
    return p;
}

}  // namespace storecrm::portal
