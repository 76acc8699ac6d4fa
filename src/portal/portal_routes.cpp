// The member's own pages, signing in: what a scanned join code shows, one-time SMS codes, and
// the sign-in that registers a new member (bound to the code's store and guide, with the
// privacy notice and separate marketing opt-ins recorded) or recognises an existing one.
#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/phone.hpp"
#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "members/member_service.hpp"
#include "members/minors.hpp"
#include "portal/join_links.hpp"
#include "portal/member_session.hpp"
#include "portal/otp.hpp"
#include "portal/routes.hpp"

namespace storecrm::portal {
namespace {

using http::RequestContext;
using nlohmann::json;


Result<json> PrivacyNotice(RequestContext& ctx) {
    auto row = ctx.tx.QueryOne("SELECT version, text_zh, text_en FROM privacy_notices ORDER BY version DESC LIMIT 1");
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Error::Internal("no privacy notice");
    return json{{"version", (*row)->Int(0)}, {"text", ctx.locale == Locale::kEn ? (*row)->Text(2) : (*row)->Text(1)}};
}

struct JoinInfo {
    JoinTarget target;
    json view;
};

Result<JoinInfo> LoadJoin(RequestContext& ctx, const std::string& token) {
    auto target = ReadJoinToken(*ctx.services.vault, token);
    if (!target) return Error::NotFound();
    auto store = ctx.tx.QueryOne("SELECT name, address FROM stores WHERE id = ? AND status = 'active'", {target->store_id});
    if (!store.ok()) return store.take_error();
    if (!store->has_value()) return Error::NotFound();
    json view = {{"store", {{"id", target->store_id}, {"name", (*store)->Text(0)}, {"address", (*store)->Text(1)}}},
                 {"guide", nullptr}};
    if (target->guide_id) {
        auto guide = ctx.tx.QueryOne("SELECT name FROM staff WHERE id = ? AND status = 'active'", {*target->guide_id});
        if (!guide.ok()) return guide.take_error();
        if (guide->has_value()) view["guide"] = {{"name", (*guide)->Text(0)}};
        else target->guide_id.reset();  // a guide who left: the store still takes the member
    }
    return JoinInfo{*target, view};
}

Result<http::Response> JoinPage(RequestContext& ctx) {
    auto join = LoadJoin(ctx, ctx.request.path_params.at("token"));
    if (!join.ok()) return join.take_error();
    auto notice = PrivacyNotice(ctx);
    if (!notice.ok()) return notice.take_error();
    json out = join->view;
    out["privacy"] = *notice;
    return http::JsonOk(out);
}

// POST /portal/otp {phone}: the same answer whether or not the phone is a member's.
Result<http::Response> SendCode(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto raw = body->Text("phone", {.required = true, .max_chars = 20});
    std::optional<std::string> phone = raw ? NormalizePhone(*raw) : std::nullopt;
    if (raw && !phone) body->AddError("phone", "field.invalid_phone");
    STORECRM_TRY(body->Finish());
    auto member = ctx.tx.QueryOne("SELECT id FROM members WHERE phone_bidx = ? AND status = 'active'",
                                  {storage::Blob{ctx.services.vault->BlindIndex("phone", *phone)}});
    if (!member.ok()) return member.take_error();
    const std::optional<int64_t> member_id =
        member->has_value() ? std::optional<int64_t>((*member)->Int(0)) : std::nullopt;
    STORECRM_TRY(IssueOtp(ctx.tx, *ctx.services.vault, {*phone, ctx.request.remote_ip, member_id, NowUnix()}));
    return http::JsonOk({{"sent", true}, {"expires_in", kOtpLifetimeSeconds}}, 202);
}

// Registers the member the join code brought; field errors name the form's fields.
Result<int64_t> Register(RequestContext& ctx, http::BodyReader& body, const std::string& phone, const JoinInfo& join,
                         int64_t privacy_version) {
    json fields = {{"phone", phone}, {"home_store_id", join.target.store_id}, {"source", "online"}};
    if (join.target.guide_id) fields["guide_id"] = *join.target.guide_id;
    for (const char* key : {"name", "gender", "birthday", "email"}) {
        if (const json* v = body.Raw(key); v && !v->is_null()) fields[key] = *v;
    }
    json consents = json::object();
    if (const json* c = body.Raw("consents"); c && c->is_object()) {
        for (const char* channel : {"sms", "email"}) {
            if (c->contains(channel) && (*c)[channel].is_boolean()) consents[channel] = (*c)[channel];
        }
    }
    fields["consents"] = consents;
    STORECRM_TRY(body.Finish());
    ctx.principal = MemberActor(0);
    // A child joins at the counter, where staff take the guardian's consent, not online.
    if (fields.contains("birthday") && fields["birthday"].is_string()) {
        const int age = members::AgeOn(fields["birthday"].get<std::string>(), NowUnix());
        if (age >= 0 && age < members::kMinorAge) {
            return Error::Field("birthday", "portal.guardian_needed", {{"age", std::to_string(members::kMinorAge)}});
        }
    }
    http::BodyReader member_body(fields);
    members::MemberRecord record;
    members::MemberInput input;
    STORECRM_TRY(members::ReadMemberInput(member_body, ctx, record, true, input));
    members::MemberRepository repo(ctx.tx, *ctx.services.vault);
    STORECRM_TRY(members::SaveNewMember(ctx, repo, record, input));
    const int64_t now = NowUnix();
    STORECRM_TRY(ctx.tx.Exec(
        "INSERT INTO member_consents (member_id, channel, purpose, granted, at, source, recorded_by_name, "
        "wording_version, store_id) VALUES (?, 'portal', 'privacy', 1, ?, 'member', ?, ?, ?)",
        {record.id, now, ctx.principal.name, privacy_version, join.target.store_id}));
    // The marketing opt-ins were given to the same notice, in the same store.
    STORECRM_TRY(ctx.tx.Exec("UPDATE member_consents SET wording_version = ?, store_id = ? WHERE member_id = ? AND "
                             "wording_version IS NULL",
                             {privacy_version, join.target.store_id, record.id}));
    return record.id;
}

// POST /portal/session {phone, code, join_token?, privacy_version?, name?, gender?, birthday?, email?, consents?}
Result<http::Response> SignIn(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto raw = body->Text("phone", {.required = true, .max_chars = 20});
    auto code = body->Text("code", {.required = true, .max_chars = 6, .min_chars = 6});
    auto join_token = body->Text("join_token", {.max_chars = 64});
    auto privacy_version = body->Int("privacy_version", false, 1);
    std::optional<std::string> phone = raw ? NormalizePhone(*raw) : std::nullopt;
    if (raw && !phone) body->AddError("phone", "field.invalid_phone");
    if (body->HasErrors()) {
        for (const char* key : {"name", "gender", "birthday", "email", "consents"}) body->Accept(key);
        STORECRM_TRY(body->Finish());
    }
    auto check = CheckOtp(ctx.tx, *ctx.services.vault, *phone, *code, NowUnix());
    if (!check.ok()) return check.take_error();
    if (*check != OtpCheck::kOk) {
        // The wrong try must count even though this request fails.
        STORECRM_TRY(ctx.tx.Commit());
        return Error::Field("code", *check == OtpCheck::kWrong ? "portal.code_wrong" : "portal.code_expired");
    }
    auto existing = ctx.tx.QueryOne("SELECT id FROM members WHERE phone_bidx = ? AND status = 'active'",
                                    {storage::Blob{ctx.services.vault->BlindIndex("phone", *phone)}});
    if (!existing.ok()) return existing.take_error();
    int64_t member_id = 0;
    bool registered = false;
    if (existing->has_value()) {
        // A member already: signed in, never registered twice (the form's other fields are ignored).
        member_id = (*existing)->Int(0);
        for (const char* key : {"name", "gender", "birthday", "email", "consents"}) body->Accept(key);
        STORECRM_TRY(body->Finish());
    } else {
        if (!join_token) {
            for (const char* key : {"name", "gender", "birthday", "email", "consents"}) body->Accept(key);
            STORECRM_TRY(body->Finish());
            return Error::Field("phone", "portal.not_a_member");
        }
        auto join = LoadJoin(ctx, *join_token);
        if (!join.ok()) return Error::Field("join_token", "field.not_found");
        auto notice = PrivacyNotice(ctx);
        if (!notice.ok()) return notice.take_error();
        if (privacy_version != (*notice)["version"].get<int64_t>()) {
            for (const char* key : {"name", "gender", "birthday", "email", "consents"}) body->Accept(key);
            STORECRM_TRY(body->Finish());
            return Error::Field("privacy_version", "portal.privacy_required");
        }
        auto id = Register(ctx, *body, *phone, *join, *privacy_version);
        if (!id.ok()) return id.take_error();
        member_id = *id;
        registered = true;
    }
    auto csrf = OpenMemberSession(ctx, member_id);
    if (!csrf.ok()) return csrf.take_error();
    ctx.principal = MemberActor(member_id);
    STORECRM_TRY(ctx.Audit({"portal.sign_in", "member", std::to_string(member_id), json({{"registered", registered}}).dump()}));
    return http::JsonOk({{"csrf_token", *csrf}, {"registered", registered}, {"recognised", !registered}},
                        registered ? 201 : 200);
}

Result<http::Response> SignOut(RequestContext& ctx) {
    auto auth = AuthenticateMember(ctx);
    if (auth.ok()) {
        STORECRM_TRY(ctx.tx.Exec("UPDATE member_sessions SET revoked_at = ? WHERE id = ?", {NowUnix(), auth->session_id}));
    }
    ClearMemberCookie(ctx);
    return http::Response::NoContent();
}

Result<http::Response> SignOutEverywhere(RequestContext& ctx) {
    auto auth = AuthenticateMember(ctx);
    if (!auth.ok()) return auth.take_error();
    STORECRM_TRY(ctx.tx.Exec("UPDATE member_sessions SET revoked_at = ? WHERE member_id = ? AND revoked_at IS NULL",
                             {NowUnix(), auth->member_id}));
    ClearMemberCookie(ctx);
    return http::Response::NoContent();
}

}  // namespace

void RegisterPortalSessionRoutes(http::Router& router) {
    using storage::TxMode;
    router.Add({.method = "GET", .pattern = "/api/v1/portal/join/{token}", .permission = http::kPublic,
                .tx = TxMode::kRead, .tag = "portal", .summary = "What a scanned join code shows: store, guide, privacy notice",
                .handler = JoinPage});
    router.Add({.method = "POST", .pattern = "/api/v1/portal/otp", .permission = http::kPublic, .tx = TxMode::kWrite,
                .tag = "portal", .summary = "Send a one-time sign-in code by SMS (rate-limited)", .handler = SendCode});
    router.Add({.method = "POST", .pattern = "/api/v1/portal/session", .permission = http::kPublic, .tx = TxMode::kWrite,
                .tag = "portal", .summary = "Sign in with the code; registers a new member from a join code",
                .handler = SignIn});
    router.Add({.method = "DELETE", .pattern = "/api/v1/portal/session", .permission = http::kPublic,
                .tx = TxMode::kWrite, .tag = "portal", .summary = "Sign the member out", .handler = SignOut});
    router.Add({.method = "DELETE", .pattern = "/api/v1/portal/sessions", .permission = http::kPublic,
                .tx = TxMode::kWrite, .tag = "portal", .summary = "Sign the member out everywhere",
                .handler = SignOutEverywhere});
}

}  // namespace storecrm::portal
