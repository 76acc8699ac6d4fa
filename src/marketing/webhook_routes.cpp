// /webhooks: subscriptions (the signing secret is shown once, at creation and at each rotation),
// their delivery log, and a test event.
#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "http/paging.hpp"
#include "jobs/domain_events.hpp"
#include "marketing/routes.hpp"
#include "marketing/webhooks.hpp"

namespace storecrm::marketing {
namespace {

using http::RequestContext;
using nlohmann::json;

constexpr const char* kHookSelect =
    "SELECT w.id, w.url, w.events, w.description, w.enabled, w.created_at, w.updated_at, w.version, "
    "(SELECT COUNT(*) FROM webhook_deliveries d WHERE d.webhook_id = w.id AND d.status = 'failed'), "
    "(SELECT MAX(d.delivered_at) FROM webhook_deliveries d WHERE d.webhook_id = w.id), w.previous_secret_until "
    "FROM webhooks w";

// A rotation keeps the replaced secret signing for a day unless told otherwise; a week at most.
constexpr int64_t kDefaultKeepHours = 24;
constexpr int64_t kMaxKeepHours = 168;

json HookJson(const storage::Row& r) {
    return {{"id", r.Int(0)},
            {"url", r.Text(1)},
            {"events", json::parse(r.Text(2), nullptr, false)},
            {"description", r.Text(3)},
            {"enabled", r.Int(4) != 0},
            {"created_at", FormatIsoUtc(r.Int(5))},
            {"updated_at", FormatIsoUtc(r.Int(6))},
            {"version", r.Int(7)},
            {"failed_deliveries", r.Int(8)},
            {"last_delivered_at", r.IsNull(9) ? json(nullptr) : json(FormatIsoUtc(r.Int(9)))},
            // Until then deliveries carry a second signature made with the replaced secret.
            {"previous_secret_expires_at",
             !r.IsNull(10) && r.Int(10) > NowUnix() ? json(FormatIsoUtc(r.Int(10))) : json(nullptr)}};
}

std::string NewSecret() { return "whsec_" + security::RandomToken(24); }

Result<json> LoadHook(RequestContext& ctx, int64_t id) {
    auto row = ctx.tx.QueryOne(std::string(kHookSelect) + " WHERE w.id = ?", {id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Error::NotFound();
    return HookJson(**row);
}

Status ReadHook(http::BodyReader& body, bool creating, json& h) {
    if (auto v = body.Text("url", {.required = creating, .max_chars = 500})) {
        if (v->rfind("http://", 0) != 0 && v->rfind("https://", 0) != 0) body.AddError("url", "marketing.bad_url");
        h["url"] = *v;
    }
    if (auto v = body.TextList("events", creating, 20, 40)) {
        const auto& known = WebhookEventTypes();
        for (const auto& e : *v) {
            if (e != "*" && std::find(known.begin(), known.end(), e) == known.end()) {
                body.AddError("events", "webhook.unknown_event", {{"event", e}});
            }
        }
        if (v->empty()) body.AddError("events", "segment.empty_list");
        h["events"] = *v;
    }
    if (auto v = body.Text("description", {.max_chars = 200})) h["description"] = *v;
    if (auto v = body.Bool("enabled")) h["enabled"] = *v;
    if (!creating) body.Accept("version");
    return body.Finish();
}

Result<http::Response> ListHooks(RequestContext& ctx) {
    auto rows = ctx.tx.Query(std::string(kHookSelect) + " ORDER BY w.id");
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) items.push_back(HookJson(r));
    return http::JsonOk(json{{"items", items}, {"next_cursor", nullptr}, {"total", items.size()},
                             {"event_types", WebhookEventTypes()}});
}

Result<http::Response> CreateHook(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    json h = {{"description", ""}, {"enabled", true}};
    STORECRM_TRY(ReadHook(*body, true, h));
    const std::string secret = NewSecret();
    const int64_t now = NowUnix();
    auto row = ctx.tx.QueryOne(
        "INSERT INTO webhooks (url, events, secret_enc, description, enabled, created_by, created_at, updated_at) VALUES (?, "
        "?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {h["url"].get<std::string>(), h["events"].dump(), storage::Blob{ctx.services.vault->Encrypt(secret)},
         h["description"].get<std::string>(), h["enabled"].get<bool>() ? 1 : 0, ctx.principal.StaffId(), now, now});
    if (!row.ok()) return row.take_error();
    const int64_t id = (*row)->Int(0);
    STORECRM_TRY(ctx.Audit({"webhook.create", "webhook", std::to_string(id), h["url"].get<std::string>()}));
    auto saved = LoadHook(ctx, id);
    if (!saved.ok()) return saved.take_error();
    (*saved)["secret"] = secret;  // shown this once
    return http::JsonOk(*saved, 201);
}

Result<http::Response> UpdateHook(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto current = LoadHook(ctx, *id);
    if (!current.ok()) return current.take_error();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto version = body->Int("version", true, 1);
    json h = *current;
    STORECRM_TRY(ReadHook(*body, false, h));
    STORECRM_TRY(http::CheckVersion(*version, *current));
    STORECRM_TRY(ctx.tx.Exec("UPDATE webhooks SET url = ?, events = ?, description = ?, enabled = ?, updated_at = ?, "
                             "version = version + 1 WHERE id = ?",
                             {h["url"].get<std::string>(), h["events"].dump(), h["description"].get<std::string>(),
                              h["enabled"].get<bool>() ? 1 : 0, NowUnix(), *id}));
    STORECRM_TRY(ctx.Audit({"webhook.update", "webhook", std::to_string(*id), h["url"].get<std::string>()}));
    auto saved = LoadHook(ctx, *id);
    if (!saved.ok()) return saved.take_error();
    return http::JsonOk(*saved);
}

// A new signing secret, shown in this answer only. The replaced one keeps signing beside it for
// keep_previous_hours (0 = refused at once, e.g. after a leak) so receivers can switch over; a
// second rotation within that time drops the oldest.
Result<http::Response> RotateSecret(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto current = LoadHook(ctx, *id);
    if (!current.ok()) return current.take_error();
    int64_t keep_hours = kDefaultKeepHours;
    if (!ctx.request.body.empty()) {
        auto body = http::BodyReader::Parse(ctx.request);
        if (!body.ok()) return body.take_error();
        if (auto v = body->Int("keep_previous_hours", false, 0, kMaxKeepHours)) keep_hours = *v;
        STORECRM_TRY(body->Finish());
    }
    const std::string secret = NewSecret();
    const int64_t now = NowUnix();
    const storage::Value sealed = storage::Blob{ctx.services.vault->Encrypt(secret)};
    // The replaced secret moves over in the same statement (SET reads the row as it was).
    if (keep_hours > 0) {
        STORECRM_TRY(ctx.tx.Exec("UPDATE webhooks SET previous_secret_enc = secret_enc, previous_secret_until = ?, "
                                 "secret_enc = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                                 {now + keep_hours * 3600, sealed, now, *id}));
    } else {
        STORECRM_TRY(ctx.tx.Exec("UPDATE webhooks SET previous_secret_enc = NULL, previous_secret_until = NULL, "
                                 "secret_enc = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                                 {sealed, now, *id}));
    }
    STORECRM_TRY(ctx.Audit({"webhook.rotate_secret", "webhook", std::to_string(*id),
                            json{{"url", (*current)["url"]}, {"keep_previous_hours", keep_hours}}.dump()}));
    auto saved = LoadHook(ctx, *id);
    if (!saved.ok()) return saved.take_error();
    (*saved)["secret"] = secret;  // shown this once
    return http::JsonOk(*saved);
}

Result<http::Response> DeleteHook(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto current = LoadHook(ctx, *id);
    if (!current.ok()) return current.take_error();
    STORECRM_TRY(ctx.tx.Exec("DELETE FROM webhook_deliveries WHERE webhook_id = ?", {*id}));
    STORECRM_TRY(ctx.tx.Exec("DELETE FROM webhooks WHERE id = ?", {*id}));
    STORECRM_TRY(ctx.Audit({"webhook.delete", "webhook", std::to_string(*id), (*current)["url"].get<std::string>()}));
    return http::Response::NoContent();
}

Result<http::Response> Deliveries(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto current = LoadHook(ctx, *id);
    if (!current.ok()) return current.take_error();
    auto page = http::ReadPage(ctx.request);
    if (!page.ok()) return page.take_error();
    auto total = ctx.tx.QueryOne("SELECT COUNT(*) FROM webhook_deliveries WHERE webhook_id = ?", {*id});
    if (!total.ok()) return total.take_error();
    auto rows = ctx.tx.Query(
        "SELECT id, event_id, event_type, status, attempts, response_status, last_error, created_at, delivered_at, not_before "
        "FROM webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT ? OFFSET ?",
        {*id, page->limit, page->offset});
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) {
        items.push_back({{"id", r.Int(0)},
                         {"event_id", "evt_" + std::to_string(r.Int(1))},
                         {"event_type", r.Text(2)},
                         {"status", r.Text(3)},
                         {"attempts", r.Int(4)},
                         {"response_status", r.IsNull(5) ? json(nullptr) : json(r.Int(5))},
                         {"last_error", r.Text(6)},
                         {"created_at", FormatIsoUtc(r.Int(7))},
                         {"delivered_at", r.IsNull(8) ? json(nullptr) : json(FormatIsoUtc(r.Int(8)))},
                         {"next_attempt_at", r.Text(3) == "queued" ? json(FormatIsoUtc(r.Int(9))) : json(nullptr)}});
    }
    return http::PageResponse(std::move(items), page->NextCursor((*total)->Int(0)), (*total)->Int(0));
}

// A webhook.test event for this subscription alone (delivered by the next webhooks.deliver run).
Result<http::Response> TestHook(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto current = LoadHook(ctx, *id);
    if (!current.ok()) return current.take_error();
    const int64_t now = NowUnix();
    auto event = ctx.tx.QueryOne("INSERT INTO domain_events (type, entity_id, payload, at) VALUES ('webhook.test', ?, ?, ?) "
                                 "RETURNING id",
                                 {*id, json{{"webhook_id", *id}}.dump(), now});
    if (!event.ok()) return event.take_error();
    STORECRM_TRY(ctx.tx.Exec("INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, created_at) VALUES (?, ?, "
                             "'webhook.test', ?)",
                             {*id, (*event)->Int(0), now}));
    return http::JsonOk(json{{"event_id", "evt_" + std::to_string((*event)->Int(0))}}, 202);
}

}  // namespace

void RegisterWebhookRoutes(http::Router& router) {
    using storage::TxMode;
    const char* p = "webhooks.manage";
    router.Add({.method = "GET", .pattern = "/api/v1/webhooks", .permission = p, .tag = "webhooks",
                .summary = "Webhook subscriptions and the event types", .handler = ListHooks});
    router.Add({.method = "POST", .pattern = "/api/v1/webhooks", .permission = p, .tx = TxMode::kWrite, .tag = "webhooks",
                .summary = "Subscribe a URL to events (the secret is in this answer only)", .handler = CreateHook});
    router.Add({.method = "PUT", .pattern = "/api/v1/webhooks/{id}", .permission = p, .tx = TxMode::kWrite,
                .tag = "webhooks", .summary = "Change a subscription", .handler = UpdateHook});
    router.Add({.method = "DELETE", .pattern = "/api/v1/webhooks/{id}", .permission = p, .tx = TxMode::kWrite,
                .tag = "webhooks", .summary = "Remove a subscription and its log", .handler = DeleteHook});
    router.Add({.method = "POST", .pattern = "/api/v1/webhooks/{id}/rotate-secret", .permission = p,
                .tx = TxMode::kWrite, .tag = "webhooks",
                .summary = "Replace the signing secret (the new one is in this answer only; the old one keeps "
                           "signing for keep_previous_hours, default 24)",
                .handler = RotateSecret});
    router.Add({.method = "GET", .pattern = "/api/v1/webhooks/{id}/deliveries", .permission = p, .tag = "webhooks",
                .summary = "The delivery log", .handler = Deliveries});
    router.Add({.method = "POST", .pattern = "/api/v1/webhooks/{id}/test", .permission = p, .tx = TxMode::kWrite,
                .tag = "webhooks", .summary = "Queue a webhook.test event for this subscription", .handler = TestHook});
}

}  // namespace storecrm::marketing
