// Two-factor sign-in 两步验证: a staff member's own setup (secret, QR code, recovery codes),
// turning it off, an admin's reset for a lost phone, and which roles must use it.
#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "portal/qr_images.hpp"
#include "security/crypto.hpp"
#include "security/password.hpp"
#include "security/permissions.hpp"
#include "security/sealed_text.hpp"
#include "security/totp.hpp"
#include "staff/routes.hpp"
#include "staff/second_factor.hpp"

namespace storecrm::staff {
namespace {

using http::RequestContext;
using nlohmann::json;

Result<http::Response> StartSetup(RequestContext& ctx) {
    const std::string secret = security::NewTotpSecret();
    STORECRM_TRY(ctx.tx.Exec("UPDATE staff SET totp_pending_enc = ? WHERE id = ?",
                             {security::SealText(*ctx.services.vault, secret), ctx.principal.id}));
    const std::string uri = security::TotpUri("storecrm", ctx.principal.username, secret);
    auto svg = portal::QrSvg(uri);
    if (!svg.ok()) return svg.take_error();
    return http::JsonOk(json{{"secret", security::TotpBase32(secret)}, {"otpauth_uri", uri}, {"qr_svg", *svg}});
}

Result<http::Response> Enable(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto code = body->Text("code", {.required = true, .max_chars = 16});
    STORECRM_TRY(body->Finish());
    auto row = ctx.tx.QueryOne("SELECT totp_pending_enc FROM staff WHERE id = ?", {ctx.principal.id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value() || (*row)->IsNull(0)) return Error::Field("code", "field.totp_setup_first");
    auto secret = security::OpenText(*ctx.services.vault, (*row)->Text(0));
    if (!secret) return Error::Internal("pending two-factor secret does not decrypt");
    auto step = security::MatchTotp(*secret, *code, NowUnix());
    if (!step) return Error::Field("code", "field.totp_code_wrong");
    STORECRM_TRY(ctx.tx.Exec(
        "UPDATE staff SET totp_secret_enc = totp_pending_enc, totp_pending_enc = NULL, totp_last_step = ? WHERE id = ?",
        {*step, ctx.principal.id}));
    STORECRM_TRY(ctx.tx.Exec("DELETE FROM staff_recovery_codes WHERE staff_id = ?", {ctx.principal.id}));
    json codes = json::array();
    for (const auto& recovery : security::NewRecoveryCodes()) {
        STORECRM_TRY(ctx.tx.Exec("INSERT INTO staff_recovery_codes (staff_id, code_hash) VALUES (?, ?)",
                                 {ctx.principal.id, security::HashToken(recovery)}));
        codes.push_back(recovery);
    }
    STORECRM_TRY(ctx.Audit({"staff.totp_enable", "staff", std::to_string(ctx.principal.id), "{}"}));
    return http::JsonOk(json{{"recovery_codes", codes}});
}

Status ClearSecondFactor(storage::Transaction& tx, int64_t staff_id) {
    STORECRM_TRY(tx.Exec("UPDATE staff SET totp_secret_enc = NULL, totp_pending_enc = NULL WHERE id = ?", {staff_id}));
    STORECRM_TRY(tx.Exec("DELETE FROM staff_recovery_codes WHERE staff_id = ?", {staff_id}));
    return Ok();
}

Result<http::Response> Disable(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto password = body->Text("password", {.required = true, .max_chars = 1024, .raw = true});
    STORECRM_TRY(body->Finish());
    auto required = RoleRequiresTotp(ctx.tx, ctx.principal.id);
    if (!required.ok()) return required.take_error();
    if (*required) {
        Error e = Error::Forbidden();
        e.message = {"error.totp_required_by_role", {}};
        return e;
    }
    auto row = ctx.tx.QueryOne("SELECT password_hash FROM staff WHERE id = ?", {ctx.principal.id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value() || !security::VerifyPassword((*row)->Text(0), *password)) {
        return Error::Field("password", "field.password_wrong");
    }
    STORECRM_TRY(ClearSecondFactor(ctx.tx, ctx.principal.id));
    STORECRM_TRY(ctx.Audit({"staff.totp_disable", "staff", std::to_string(ctx.principal.id), "{}"}));
    return http::Response::NoContent();
}

Result<http::Response> Reset(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto row = ctx.tx.QueryOne("SELECT 1 FROM staff WHERE id = ?", {*id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Error::NotFound();
    STORECRM_TRY(ClearSecondFactor(ctx.tx, *id));
    STORECRM_TRY(ctx.Audit({"staff.totp_reset", "staff", std::to_string(*id), "{}"}));
    return http::Response::NoContent();
}

Result<http::Response> GetSecuritySettings(RequestContext& ctx) {
    auto roles = TotpRequiredRoles(ctx.tx);
    if (!roles.ok()) return roles.take_error();
    return http::JsonOk(json{{"totp_required_roles", *roles}});
}

Result<http::Response> PutSecuritySettings(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto roles = body->TextList("totp_required_roles", true, 50, 64);
    STORECRM_TRY(body->Finish());
    for (size_t i = 0; i < roles->size(); ++i) {
        auto known = ctx.tx.QueryOne("SELECT 1 FROM roles WHERE code = ?", {(*roles)[i]});
        if (!known.ok()) return known.take_error();
        if (!known->has_value()) {
            return Error::Field("totp_required_roles[" + std::to_string(i) + "]", "field.unknown_role");
        }
    }
    STORECRM_TRY(SetTotpRequiredRoles(ctx.tx, *roles));
    STORECRM_TRY(ctx.Audit({"security.settings", "settings", "security", json{{"totp_required_roles", *roles}}.dump()}));
    return http::Response::NoContent();
}

}  // namespace

void RegisterTwoFactorRoutes(http::Router& router) {
    using storage::TxMode;
    router.Add({.method = "POST", .pattern = "/api/v1/me/totp/setup", .permission = http::kSignedIn,
                .tx = TxMode::kWrite, .tag = "session", .summary = "Start two-factor setup: a new secret and its QR code",
                .handler = StartSetup, .allowed_before_password_change = true, .staff_only = true});
    router.Add({.method = "POST", .pattern = "/api/v1/me/totp/enable", .permission = http::kSignedIn,
                .tx = TxMode::kWrite, .tag = "session",
                .summary = "Turn two-factor sign-in on with a code from the app; returns recovery codes once",
                .handler = Enable, .allowed_before_password_change = true, .staff_only = true});
    router.Add({.method = "DELETE", .pattern = "/api/v1/me/totp", .permission = http::kSignedIn, .tx = TxMode::kWrite,
                .tag = "session", .summary = "Turn two-factor sign-in off (password needed)", .handler = Disable,
                .staff_only = true});
    router.Add({.method = "DELETE", .pattern = "/api/v1/staff/{id}/totp", .permission = "staff.manage",
                .tx = TxMode::kWrite, .tag = "staff", .summary = "Reset a staff member's two-factor sign-in",
                .handler = Reset});
    router.Add({.method = "GET", .pattern = "/api/v1/security/settings", .permission = "roles.manage",
                .tx = TxMode::kRead, .tag = "staff", .summary = "Which roles must sign in with two factors",
                .handler = GetSecuritySettings});
    router.Add({.method = "PUT", .pattern = "/api/v1/security/settings", .permission = "roles.manage",
                .tx = TxMode::kWrite, .tag = "staff", .summary = "Set which roles must sign in with two factors",
                .handler = PutSecuritySettings});
}

}  // namespace storecrm::staff
