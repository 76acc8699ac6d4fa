// The member's own card and data 会员中心: card with the rotating member code, points, tier,
// coupons, purchases and events; profile and opt-in changes; a download of everything held on
// them; a deletion request. Every route reads the signed-in member only — there is no id in
// the path to guess.
#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "loyalty/coupons.hpp"
#include "loyalty/tiers.hpp"
#include "members/member_code.hpp"
#include "members/member_service.hpp"
#include "portal/member_data_copy.hpp"
#include "portal/member_session.hpp"
#include "portal/qr_images.hpp"
#include "portal/routes.hpp"
#include "service/service_settings.hpp"

namespace storecrm::portal {
namespace {

using http::RequestContext;
using nlohmann::json;

constexpr int64_t kExpiringWindow = 30 * 86400;

struct Me {
    MemberAuth auth;
    members::MemberRecord record;
};

// The signed-in member, with the request acting as them.
Result<Me> LoadMe(RequestContext& ctx) {
    auto auth = AuthenticateMember(ctx);
    if (!auth.ok()) return auth.take_error();
    members::MemberRepository repo(ctx.tx, *ctx.services.vault);
    auto record = repo.Find(auth->member_id);
    if (!record.ok()) return record.take_error();
    if (!record->has_value()) return Error::NotFound();
    ctx.principal = MemberActor(auth->member_id);
    return Me{*auth, **record};
}

json Profile(const members::MemberRecord& r) {
    return {{"member_no", r.member_no}, {"name", r.name},   {"phone", r.phone},     {"gender", r.gender},
            {"birthday", r.birthday},   {"email", r.email}, {"address", r.address}, {"home_store_id", r.home_store_id}};
}

Result<json> Purchases(storage::Transaction& tx, int64_t member_id, int64_t limit) {
    auto rows = tx.Query(
        "SELECT s.id, s.receipt_no, s.sold_at, st.name, s.total, s.refunded_amount, s.points_earned, s.status FROM sales s "
        "JOIN stores st ON st.id = s.store_id WHERE s.member_id = ? ORDER BY s.sold_at DESC, s.id DESC LIMIT ?",
        {member_id, limit});
    if (!rows.ok()) return rows.take_error();
    json out = json::array();
    for (const auto& r : *rows) {
        out.push_back({{"id", r.Int(0)}, {"receipt_no", r.Text(1)}, {"sold_at", FormatIsoUtc(r.Int(2))},
                       {"store_name", r.Text(3)}, {"total", r.Int(4)}, {"refunded_amount", r.Int(5)},
                       {"points_earned", r.Int(6)}, {"status", r.Text(7)}});
    }
    return out;
}

Result<json> Events(storage::Transaction& tx, const members::MemberRecord& m, int64_t now) {
    auto rows = tx.Query(
        "SELECT e.id, e.title, e.description, e.starts_at, e.ends_at, e.capacity, COALESCE(a.status, ''), "
        "(SELECT COUNT(*) FROM event_attendees x WHERE x.event_id = e.id AND x.status IN ('registered', 'attended')) "
        "FROM member_events e LEFT JOIN event_attendees a ON a.event_id = e.id AND a.member_id = ? "
        "WHERE e.status = 'planned' AND e.ends_at > ? AND (e.store_id = ? OR a.member_id IS NOT NULL) "
        "ORDER BY e.starts_at LIMIT 20",
        {m.id, now, m.home_store_id});
    if (!rows.ok()) return rows.take_error();
    json out = json::array();
    for (const auto& r : *rows) {
        const int64_t capacity = r.Int(5);
        out.push_back({{"id", r.Int(0)}, {"title", r.Text(1)}, {"description", r.Text(2)},
                       {"starts_at", FormatIsoUtc(r.Int(3))}, {"ends_at", FormatIsoUtc(r.Int(4))},
                       {"my_status", r.Text(6).empty() ? json() : json(r.Text(6))},
                       {"places_left", capacity ? json(std::max<int64_t>(0, capacity - r.Int(7))) : json()}});
    }
    return out;
}

Result<json> Consents(RequestContext& ctx, int64_t member_id) {
    members::MemberRepository repo(ctx.tx, *ctx.services.vault);
    auto consents = repo.Consents(member_id);
    if (!consents.ok()) return consents.take_error();
    return json{{"sms", (*consents)["sms"]["granted"]}, {"email", (*consents)["email"]["granted"]}};
}

// GET /portal/me: everything the card page shows.
Result<http::Response> Card(RequestContext& ctx) {
    auto me = LoadMe(ctx);
    if (!me.ok()) return me.take_error();
    const int64_t now = NowUnix();
    const int64_t id = me->record.id;
    auto points = ctx.tx.QueryOne(
        "SELECT m.points_balance, (SELECT COALESCE(SUM(remaining), 0) FROM points_lots WHERE member_id = m.id AND "
        "remaining > 0 AND expires_at > ? AND expires_at <= ?), (SELECT MIN(expires_at) FROM points_lots WHERE "
        "member_id = m.id AND remaining > 0 AND expires_at > ?) FROM members m WHERE m.id = ?",
        {now, now + kExpiringWindow, now, id});
    if (!points.ok()) return points.take_error();
    auto tier = loyalty::TierProgress(ctx.tx, id, now);
    if (!tier.ok()) return tier.take_error();
    auto coupons = loyalty::MemberCouponsJson(ctx.tx, id, now, "issued");
    if (!coupons.ok()) return coupons.take_error();
    auto purchases = Purchases(ctx.tx, id, 20);
    if (!purchases.ok()) return purchases.take_error();
    auto events = Events(ctx.tx, me->record, now);
    if (!events.ok()) return events.take_error();
    auto consents = Consents(ctx, id);
    if (!consents.ok()) return consents.take_error();
    auto deletion = ctx.tx.QueryOne(
        "SELECT status, requested_at FROM deletion_requests WHERE member_id = ? ORDER BY id DESC LIMIT 1", {id});
    if (!deletion.ok()) return deletion.take_error();
    auto store = ctx.tx.QueryOne("SELECT name FROM stores WHERE id = ?", {me->record.home_store_id});
    if (!store.ok()) return store.take_error();
    auto settings = service::LoadServiceSettings(ctx.tx);
    if (!settings.ok()) return settings.take_error();
    const auto& p = **points;
    json profile = Profile(me->record);
    profile["store_name"] = store->has_value() ? (*store)->Text(0) : "";
    return http::JsonOk(
        {{"csrf_token", me->auth.csrf_token},
         {"member", profile},
         {"editable_fields", settings->member_editable_fields},
         {"points", {{"balance", p.Int(0)}, {"expiring_soon", p.Int(1)},
                     {"next_expiry_at", p.IsNull(2) ? json() : json(FormatIsoUtc(p.Int(2)))}}},
         {"tier", *tier},
         {"coupons", *coupons},
         {"purchases", *purchases},
         {"events", *events},
         {"consents", *consents},
         {"deletion_request", deletion->has_value()
                                  ? json({{"status", (*deletion)->Text(0)}, {"requested_at", FormatIsoUtc((*deletion)->Int(1))}})
                                  : json()}});
}

Result<http::Response> Code(RequestContext& ctx) {
    auto auth = AuthenticateMember(ctx);
    if (!auth.ok()) return auth.take_error();
    const int64_t now = NowUnix();
    const int64_t window_end = (now / members::kMemberCodeWindowSeconds + 1) * members::kMemberCodeWindowSeconds;
    return http::JsonOk({{"code", members::MakeMemberCode(*ctx.services.vault, auth->member_id, now)},
                         {"refresh_at", FormatIsoUtc(window_end)},
                         {"valid_until", FormatIsoUtc(window_end + members::kMemberCodeWindowSeconds)}});
}

Result<http::Response> CodeSvg(RequestContext& ctx) {
    auto auth = AuthenticateMember(ctx);
    if (!auth.ok()) return auth.take_error();
    auto svg = QrSvg(members::MakeMemberCode(*ctx.services.vault, auth->member_id, NowUnix()));
    if (!svg.ok()) return svg.take_error();
    http::Response r;
    r.content_type = "image/svg+xml";
    r.body = std::move(*svg);
    r.headers.emplace_back("Cache-Control", "no-store");
    return r;
}

// PUT /portal/me: the fields the store lets members edit (service settings); others are
// unknown fields.
Result<http::Response> UpdateProfile(RequestContext& ctx) {
    auto me = LoadMe(ctx);
    if (!me.ok()) return me.take_error();
    auto settings = service::LoadServiceSettings(ctx.tx);
    if (!settings.ok()) return settings.take_error();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    json fields = json::object();
    for (const auto& key : settings->member_editable_fields) {
        if (const json* v = body->Raw(key)) fields[key] = *v;
    }
    STORECRM_TRY(body->Finish());
    http::BodyReader member_body(fields);
    members::MemberRecord after = me->record;
    members::MemberInput input;
    STORECRM_TRY(members::ReadMemberInput(member_body, ctx, after, false, input));
    members::MemberRepository repo(ctx.tx, *ctx.services.vault);
    STORECRM_TRY(members::SaveMemberChanges(ctx, repo, me->record, after, input, me->record.version));
    return Card(ctx);
}

Result<http::Response> UpdateConsents(RequestContext& ctx) {
    auto me = LoadMe(ctx);
    if (!me.ok()) return me.take_error();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    members::MemberInput input;
    for (const char* channel : {"sms", "email"}) {
        if (auto v = body->Bool(channel)) input.consents[channel] = *v;
    }
    STORECRM_TRY(body->Finish());
    members::MemberRecord after = me->record;
    members::MemberRepository repo(ctx.tx, *ctx.services.vault);
    STORECRM_TRY(members::SaveMemberChanges(ctx, repo, me->record, after, input, me->record.version));
    auto consents = Consents(ctx, me->record.id);
    if (!consents.ok()) return consents.take_error();
    return http::JsonOk(*consents);
}

}  // namespace

Result<json> MemberDataCopy(RequestContext& ctx, const members::MemberRecord& record) {
    const int64_t id = record.id;
    const int64_t now = NowUnix();
    members::MemberRepository repo(ctx.tx, *ctx.services.vault);
    json out = {{"exported_at", FormatIsoUtc(now)}, {"profile", Profile(record)}};
    out["profile"]["address"] = record.address;
    out["profile"]["wechat_id"] = record.wechat_id;
    out["profile"]["created_at"] = FormatIsoUtc(record.created_at);
    auto consents = ctx.tx.Query(
        "SELECT channel, purpose, granted, at, source, wording_version FROM member_consents WHERE member_id = ? ORDER BY id",
        {id});
    if (!consents.ok()) return consents.take_error();
    out["consents"] = json::array();
    for (const auto& r : *consents) {
        out["consents"].push_back({{"channel", r.Text(0)}, {"purpose", r.Text(1)}, {"granted", r.Int(2) != 0},
                                   {"at", FormatIsoUtc(r.Int(3))}, {"source", r.Text(4)},
                                   {"wording_version", r.IsNull(5) ? json() : json(r.Int(5))}});
    }
    auto purchases = Purchases(ctx.tx, id, 100000);
    if (!purchases.ok()) return purchases.take_error();
    out["purchases"] = *purchases;
    auto ledger = ctx.tx.Query("SELECT delta, balance_after, kind, reason, created_at FROM points_ledger WHERE member_id = ? "
                               "ORDER BY id",
                               {id});
    if (!ledger.ok()) return ledger.take_error();
    out["points"] = json::array();
    for (const auto& r : *ledger) {
        out["points"].push_back({{"delta", r.Int(0)}, {"balance_after", r.Int(1)}, {"kind", r.Text(2)},
                                 {"reason", r.Text(3)}, {"at", FormatIsoUtc(r.Int(4))}});
    }
    auto coupons = loyalty::MemberCouponsJson(ctx.tx, id, now, "");
    if (!coupons.ok()) return coupons.take_error();
    out["coupons"] = *coupons;
    auto interactions = ctx.tx.Query(
        "SELECT occurred_at, channel, summary, feedback FROM interactions WHERE member_id = ? ORDER BY occurred_at", {id});
    if (!interactions.ok()) return interactions.take_error();
    out["interactions"] = json::array();
    for (const auto& r : *interactions) {
        out["interactions"].push_back({{"at", FormatIsoUtc(r.Int(0))}, {"channel", r.Text(1)}, {"summary", r.Text(2)},
                                       {"feedback", r.Text(3)}});
    }
    auto guardian = ctx.tx.QueryOne("SELECT name, phone_enc, relation, consented_at FROM member_guardians WHERE member_id = ?", {id});
    if (!guardian.ok()) return guardian.take_error();
    if (guardian->has_value()) {
        out["guardian"] = {{"name", (**guardian).Text(0)},
                           {"phone", ctx.services.vault->Decrypt((**guardian).BlobBytes(1)).value_or("")},
                           {"relation", (**guardian).Text(2)},
                           {"consented_at", FormatIsoUtc((**guardian).Int(3))}};
    }
    auto messages = ctx.tx.Query("SELECT channel, purpose, body, status, created_at FROM messages WHERE member_id = ? ORDER BY id", {id});
    if (!messages.ok()) return messages.take_error();
    out["messages"] = json::array();
    for (const auto& r : *messages) {
        out["messages"].push_back({{"channel", r.Text(0)}, {"purpose", r.Text(1)}, {"body", r.Text(2)}, {"status", r.Text(3)},
                                   {"at", FormatIsoUtc(r.Int(4))}});
    }
    return out;
}

namespace {

// GET /portal/me/export: a JSON file of everything kept about the member (个人信息副本).
Result<http::Response> Export(RequestContext& ctx) {
    auto me = LoadMe(ctx);
    if (!me.ok()) return me.take_error();
    auto out = MemberDataCopy(ctx, me->record);
    if (!out.ok()) return out.take_error();
    STORECRM_TRY(ctx.Audit({"portal.export", "member", std::to_string(me->record.id), "{}"}));
    http::Response r = http::JsonOk(*out);
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"member-" + me->record.member_no + ".json\"");
    return r;
}

Result<http::Response> RequestDeletion(RequestContext& ctx) {
    auto me = LoadMe(ctx);
    if (!me.ok()) return me.take_error();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto reason = body->Text("reason", {.max_chars = 500, .multiline = true}).value_or("");
    STORECRM_TRY(body->Finish());
    auto pending = ctx.tx.QueryOne("SELECT 1 FROM deletion_requests WHERE member_id = ? AND status = 'pending'",
                                   {me->record.id});
    if (!pending.ok()) return pending.take_error();
    if (pending->has_value()) return Error::Conflict("reason", "portal.deletion_pending");
    STORECRM_TRY(ctx.tx.Exec(
        "INSERT INTO deletion_requests (member_id, store_id, reason, requested_at) VALUES (?, ?, ?, ?)",
        {me->record.id, me->record.home_store_id, reason, NowUnix()}));
    STORECRM_TRY(ctx.Audit({"portal.deletion_request", "member", std::to_string(me->record.id), "{}"}));
    return http::JsonOk({{"status", "pending"}}, 201);
}

Result<http::Response> RegisterForEvent(RequestContext& ctx) {
    auto me = LoadMe(ctx);
    if (!me.ok()) return me.take_error();
    auto event_id = ctx.PathId();
    if (!event_id.ok()) return event_id.take_error();
    auto events = Events(ctx.tx, me->record, NowUnix());
    if (!events.ok()) return events.take_error();
    const json* event = nullptr;
    for (const auto& e : *events) {
        if (e["id"] == *event_id) event = &e;
    }
    if (!event) return Error::NotFound();
    if (!(*event)["my_status"].is_null() && (*event)["my_status"] != "invited" && (*event)["my_status"] != "cancelled") {
        return Error::Conflict("event", "event.already_registered");
    }
    if ((*event)["places_left"].is_number() && (*event)["places_left"].get<int64_t>() <= 0) {
        return Error::Field("event", "event.full", {{"capacity", "0"}});
    }
    const int64_t now = NowUnix();
    STORECRM_TRY(ctx.tx.Exec(
        "INSERT INTO event_attendees (event_id, member_id, status, registered_at) VALUES (?, ?, 'registered', ?) "
        "ON CONFLICT (event_id, member_id) DO UPDATE SET status = 'registered', registered_at = excluded.registered_at",
        {*event_id, me->record.id, now}));
    return Card(ctx);
}

}  // namespace

void RegisterPortalCardRoutes(http::Router& router) {
    using storage::TxMode;
    auto add = [&](const char* method, const char* pattern, TxMode tx, const char* summary, http::Handler h) {
        router.Add({.method = method, .pattern = pattern, .permission = http::kPublic, .tx = tx, .tag = "portal",
                    .summary = summary, .handler = std::move(h)});
    };
    add("GET", "/api/v1/portal/me", TxMode::kRead, "The member card: points, tier, coupons, purchases, events", Card);
    add("GET", "/api/v1/portal/me/code", TxMode::kRead, "The rotating member code for the till", Code);
    add("GET", "/api/v1/portal/me/code.svg", TxMode::kRead, "The rotating member code as a QR image", CodeSvg);
    add("PUT", "/api/v1/portal/me", TxMode::kWrite, "Edit my name, gender, birthday or email", UpdateProfile);
    add("PUT", "/api/v1/portal/me/consents", TxMode::kWrite, "Change my marketing opt-ins", UpdateConsents);
    add("GET", "/api/v1/portal/me/export", TxMode::kRead, "Download my data (JSON)", Export);
    add("POST", "/api/v1/portal/me/deletion-request", TxMode::kWrite, "Ask for my data to be deleted", RequestDeletion);
    add("POST", "/api/v1/portal/me/events/{id}/registration", TxMode::kWrite, "Register for a member event",
        RegisterForEvent);
}

}  // namespace storecrm::portal
