// Campaigns 营销活动: draft, preview, test send, submit (approval by a second person above the
// threshold), pause / resume / cancel, and the list with each campaign's counts.
#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/phone.hpp"
#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "http/paging.hpp"
#include "loyalty/coupons.hpp"
#include "marketing/audience.hpp"
#include "marketing/campaign_rules.hpp"
#include "marketing/campaigns.hpp"
#include "marketing/marketing_settings.hpp"
#include "marketing/routes.hpp"

namespace storecrm::marketing {
namespace {

using http::RequestContext;
using nlohmann::json;

json CampaignJson(const Campaign& c) {
    auto at = [](const std::optional<int64_t>& t) { return t ? json(FormatIsoUtc(*t)) : json(nullptr); };
    return {{"id", c.id},
            {"name", c.name},
            {"status", c.status},
            {"segment_id", c.segment_id ? json(*c.segment_id) : json(nullptr)},
            {"rules", json::parse(c.rules, nullptr, false)},
            {"channel", c.channel},
            {"subject", c.subject},
            {"template", c.body},
            {"coupon_template_id", c.coupon_template_id ? json(*c.coupon_template_id) : json(nullptr)},
            {"schedule", c.schedule},
            {"send_at", at(c.send_at)},
            {"recurring", c.schedule == "recurring" ? c.detail : json(nullptr)},
            {"trigger", c.schedule == "trigger" ? c.detail : json(nullptr)},
            {"control_pct", c.control_pct},
            {"result_days", c.result_days},
            {"approved_at", at(c.approved_at)},
            {"created_at", FormatIsoUtc(c.created_at)},
            {"updated_at", FormatIsoUtc(c.updated_at)}};
}

Result<std::pair<Campaign, json>> LoadCampaign(RequestContext& ctx, int64_t id) {
    auto row = ctx.tx.QueryOne(std::string("SELECT ") + kCampaignColumns +
                                   ", version, audience_estimate, requested_by, approved_by, created_by, "
                                   "(SELECT name FROM staff WHERE id = requested_by), (SELECT name FROM staff WHERE id = approved_by), "
                                   "(SELECT name FROM staff WHERE id = created_by) FROM campaigns WHERE id = ?",
                               {id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Error::NotFound();
    Campaign c = CampaignFromRow(**row);
    json j = CampaignJson(c);
    const auto& r = **row;
    j["version"] = r.Int(17);
    j["audience_estimate"] = r.Int(18);
    // Ids for integrators (the contract), names beside them for the people reading the screen.
    size_t column = 19;
    for (const char* who : {"requested_by", "approved_by", "created_by"}) {
        j[who] = r.IsNull(column) ? json(nullptr) : json(r.Int(column));
        j[std::string(who) + "_name"] = r.OptText(column + 3) ? json(r.Text(column + 3)) : json(nullptr);
        ++column;
    }
    auto counts = ctx.tx.Query("SELECT outcome, COUNT(*) FROM campaign_recipients WHERE campaign_id = ? GROUP BY outcome", {id});
    if (!counts.ok()) return counts.take_error();
    json recipients = {{"queued", 0}, {"control", 0}, {"no_consent", 0}, {"capped", 0}, {"no_address", 0}, {"minor", 0}};
    for (const auto& r2 : *counts) recipients[r2.Text(0)] = r2.Int(1);
    j["recipients"] = recipients;
    return std::make_pair(std::move(c), std::move(j));
}

// The audience of a body: a saved segment's rules, or rules given inline.
struct CampaignInput {
    json fields;  // what is stored, by column
};

Status ReadCampaign(RequestContext& ctx, http::BodyReader& body, bool creating, json& c) {
    if (auto v = body.Text("name", {.required = creating, .max_chars = 80, .min_chars = 1})) c["name"] = *v;
    if (auto v = body.Choice("channel", {"sms", "email", "wechat"}, creating)) c["channel"] = *v;
    if (auto v = body.Text("subject", {.max_chars = 120})) c["subject"] = *v;
    if (auto v = body.Text("template", {.required = creating, .max_chars = 2000, .min_chars = 1, .multiline = true})) {
        for (const auto& unknown : UnknownPlaceholders(*v)) {
            body.AddError("template", "campaign.unknown_variable", {{"variable", "{" + unknown + "}"}});
        }
        c["template"] = *v;
    }
    if (body.IsNull("coupon_template_id")) {
        body.Accept("coupon_template_id");
        c["coupon_template_id"] = nullptr;
    } else if (auto v = body.Int("coupon_template_id", false, 1)) {
        auto t = loyalty::LoadTemplate(ctx.tx, *v);
        if (!t.ok()) return t.take_error();
        if (!t->has_value()) body.AddError("coupon_template_id", "field.not_found");
        c["coupon_template_id"] = *v;
    }
    // The audience: a segment (its rules are copied, so later edits of the segment do not
    // change a campaign already sent) or rules of its own.
    if (body.IsNull("segment_id")) {
        body.Accept("segment_id");
        c["segment_id"] = nullptr;
    } else if (auto v = body.Int("segment_id", false, 1)) {
        auto seg = ctx.tx.QueryOne("SELECT rules FROM segments WHERE id = ?", {*v});
        if (!seg.ok()) return seg.take_error();
        if (!seg->has_value()) {
            body.AddError("segment_id", "field.not_found");
        } else {
            c["segment_id"] = *v;
            c["rules"] = json::parse((*seg)->Text(0), nullptr, false);
        }
    }
    if (const json* raw = body.Raw("rules")) {
        auto rules = ParseRules(*raw);
        if (!rules.ok()) {
            for (const auto& f : rules.error().fields) body.AddError(f.field, f.message.key, f.message.args);
        } else {
            c["rules"] = RulesJson(*rules);
            c["segment_id"] = nullptr;
        }
    }
    if (creating && !c.contains("rules")) body.AddError("segment_id", "campaign.audience_required");
    if (auto v = body.Choice("schedule", {"now", "at", "recurring", "trigger"}, creating)) c["schedule"] = *v;
    if (auto v = body.Text("send_at", {.max_chars = 25})) {
        if (auto at = ParseIsoDateTime(*v)) c["send_at"] = *at;
        else body.AddError("send_at", "field.invalid_datetime");
    }
    if (const json* raw = body.Raw("recurring"); raw && !raw->is_null()) {
        const auto weekdays = raw->value("weekdays", json::array());
        bool ok = weekdays.is_array() && !weekdays.empty();
        for (const auto& d : weekdays) ok &= d.is_number_integer() && d.get<int>() >= 1 && d.get<int>() <= 7;
        if (!ok) body.AddError("recurring.weekdays", "campaign.bad_weekdays");
        const std::string time = raw->value("time", "");
        if (ParseClock(time) < 0) body.AddError("recurring.time", "field.invalid_time_of_day");
        c["recurring"] = {{"weekdays", weekdays}, {"time", time}};
    }
    if (const json* raw = body.Raw("trigger"); raw && !raw->is_null()) {
        const std::string kind = raw->value("kind", "");
        const auto& kinds = TriggerKinds();
        if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) {
            std::string choices;
            for (const auto& k : kinds) choices += (choices.empty() ? "" : ", ") + k;
            body.AddError("trigger.kind", "field.invalid_choice", {{"choices", choices}});
        }
        const json days = raw->value("days", json(0));
        if (!days.is_number_integer() || days.get<int64_t>() < 0 || days.get<int64_t>() > 3650) {
            body.AddError("trigger.days", "field.out_of_range", {{"min", "0"}, {"max", "3650"}});
        } else if (kind == "days_since_purchase" && days.get<int64_t>() < 1) {
            body.AddError("trigger.days", "field.required");
        }
        c["trigger"] = {{"kind", kind}, {"days", days}};
    }
    if (auto v = body.Int("control_pct", false, 0, 50)) c["control_pct"] = *v;
    if (auto v = body.Int("result_days", false, 1, 90)) c["result_days"] = *v;
    if (!creating) body.Accept("version");
    const std::string schedule = c.value("schedule", "");
    if (schedule == "at" && !c.contains("send_at")) body.AddError("send_at", "field.required");
    if (schedule == "recurring" && !c.contains("recurring")) body.AddError("recurring", "field.required");
    if (schedule == "trigger" && !c.contains("trigger")) body.AddError("trigger", "field.required");
    if (c.value("channel", "") == "email" && c.value("subject", "").empty()) body.AddError("subject", "field.required");
    return body.Finish();
}

json DetailOf(const json& c) {
    const std::string schedule = c.value("schedule", "");
    if (schedule == "recurring" && c.contains("recurring")) return c["recurring"];
    if (schedule == "trigger" && c.contains("trigger")) return c["trigger"];
    return json::object();
}

storage::Params StoredValues(const json& c, int64_t now) {
    auto opt = [&](const char* k) { return c.contains(k) && !c[k].is_null() ? storage::Value(c[k].get<int64_t>()) : storage::Value(); };
    return {c["name"].get<std::string>(),
            opt("segment_id"),
            c["rules"].dump(),
            c["channel"].get<std::string>(),
            c.value("subject", ""),
            c["template"].get<std::string>(),
            opt("coupon_template_id"),
            c["schedule"].get<std::string>(),
            opt("send_at"),
            DetailOf(c).dump(),
            c.value("control_pct", int64_t{10}),
            c.value("result_days", int64_t{14}),
            now};
}

Result<http::Response> Answer(RequestContext& ctx, int64_t id, int status = 200) {
    auto loaded = LoadCampaign(ctx, id);
    if (!loaded.ok()) return loaded.take_error();
    return http::JsonOk(loaded->second, status);
}

Result<http::Response> CreateCampaign(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto settings = LoadMarketingSettings(ctx.tx, *ctx.services.vault);
    if (!settings.ok()) return settings.take_error();
    json c = {{"control_pct", settings->default_control_pct}, {"result_days", 14}, {"subject", ""}};
    STORECRM_TRY(ReadCampaign(ctx, *body, true, c));
    const int64_t now = NowUnix();
    storage::Params params = StoredValues(c, now);
    params.push_back(ctx.principal.StaffId());
    params.push_back(now);
    auto row = ctx.tx.QueryOne(
        "INSERT INTO campaigns (name, segment_id, rules, channel, subject, template, coupon_template_id, schedule, send_at, "
        "schedule_detail, control_pct, result_days, updated_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?) RETURNING id",
        params);
    if (!row.ok()) return row.take_error();
    const int64_t id = (*row)->Int(0);
    STORECRM_TRY(ctx.Audit({"campaign.create", "campaign", std::to_string(id), c["name"].get<std::string>()}));
    return Answer(ctx, id, 201);
}

Result<http::Response> UpdateCampaign(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto loaded = LoadCampaign(ctx, *id);
    if (!loaded.ok()) return loaded.take_error();
    const auto& [campaign, current] = *loaded;
    if (campaign.status != "draft" && campaign.status != "paused") return Error::Conflict("status", "campaign.not_editable");
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto version = body->Int("version", true, 1);
    json c = current;
    c["template"] = campaign.body;
    if (campaign.send_at) c["send_at"] = *campaign.send_at;
    else c.erase("send_at");
    if (campaign.schedule == "recurring") c["recurring"] = campaign.detail;
    if (campaign.schedule == "trigger") c["trigger"] = campaign.detail;
    STORECRM_TRY(ReadCampaign(ctx, *body, false, c));
    STORECRM_TRY(http::CheckVersion(*version, current));
    storage::Params params = StoredValues(c, NowUnix());
    params.push_back(*id);
    STORECRM_TRY(ctx.tx.Exec(
        "UPDATE campaigns SET name = ?, segment_id = ?, rules = ?, channel = ?, subject = ?, template = ?, "
        "coupon_template_id = ?, schedule = ?, send_at = ?, schedule_detail = ?, control_pct = ?, result_days = ?, "
        "updated_at = ?, version = version + 1 WHERE id = ?",
        params));
    STORECRM_TRY(ctx.Audit({"campaign.update", "campaign", std::to_string(*id), c["name"].get<std::string>()}));
    return Answer(ctx, *id);
}

Result<http::Response> ListCampaigns(RequestContext& ctx) {
    auto page = http::ReadPage(ctx.request);
    if (!page.ok()) return page.take_error();
    storage::Params params;
    std::string where = " WHERE 1 = 1";
    if (auto v = ctx.request.QueryParam("status"); v && !v->empty()) {
        where += " AND status = ?";
        params.emplace_back(*v);
    }
    auto total = ctx.tx.QueryOne("SELECT COUNT(*) FROM campaigns" + where, params);
    if (!total.ok()) return total.take_error();
    params.emplace_back(page->limit);
    params.emplace_back(page->offset);
    auto rows = ctx.tx.Query("SELECT id FROM campaigns" + where + " ORDER BY id DESC LIMIT ? OFFSET ?", params);
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) {
        auto loaded = LoadCampaign(ctx, r.Int(0));
        if (!loaded.ok()) return loaded.take_error();
        items.push_back(loaded->second);
    }
    return http::PageResponse(std::move(items), page->NextCursor((*total)->Int(0)), (*total)->Int(0));
}

Result<http::Response> GetCampaign(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto loaded = LoadCampaign(ctx, *id);
    if (!loaded.ok()) return loaded.take_error();
    auto rules = StoredRules(loaded->first.rules);
    if (!rules.ok()) return rules.take_error();
    auto set = EvaluateAudience(ctx.services, *rules, AudienceScope{.now = NowUnix()});
    if (!set.ok()) return set.take_error();
    loaded->second["audience_now"] = set->size();
    return http::JsonOk(loaded->second);
}

Result<http::Response> Preview(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto loaded = LoadCampaign(ctx, *id);
    if (!loaded.ok()) return loaded.take_error();
    std::optional<int64_t> member_id;
    if (auto v = ctx.request.QueryParam("member_id"); v && !v->empty()) {
        member_id = std::atoll(v->c_str());
        if (*member_id <= 0) return Error::Field("member_id", "field.not_found");
    } else {
        auto rules = StoredRules(loaded->first.rules);
        if (!rules.ok()) return rules.take_error();
        auto set = EvaluateAudience(ctx, *rules, NowUnix());
        if (!set.ok()) return set.take_error();
        auto first = set->Ids(0, 1);
        if (first.empty()) return http::JsonOk(json{{"member", nullptr}, {"subject", ""}, {"body", ""}});
        member_id = first[0];
    }
    auto member = ctx.tx.QueryOne("SELECT home_store_id, member_no, name FROM members WHERE id = ?", {*member_id});
    if (!member.ok()) return member.take_error();
    if (!member->has_value() || !ctx.principal.CanAccessStore((*member)->Int(0))) return Error::Field("member_id", "field.not_found");
    auto text = PreviewFor(ctx.services, ctx.tx, loaded->first, *member_id, NowUnix());
    if (!text.ok()) return text.take_error();
    (*text)["member"] = {{"id", *member_id}, {"member_no", (*member)->Text(1)}, {"name", (*member)->Text(2)}};
    return http::JsonOk(*text);
}

// A test send to an address the caller types (their own phone or mailbox): rendered for the
// first member of the audience, marked 【测试】, through the real channel.
Result<http::Response> TestSend(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto loaded = LoadCampaign(ctx, *id);
    if (!loaded.ok()) return loaded.take_error();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto to = body->Text("to", {.required = true, .max_chars = 200});
    STORECRM_TRY(body->Finish());
    const Campaign& c = loaded->first;
    std::string address = *to, masked;
    if (c.channel == "email") {
        if (!IsValidEmail(address)) return Error::Field("to", "field.invalid_email");
        address = NormalizeEmail(address);
        masked = MaskEmail(address);
    } else {
        auto phone = NormalizePhone(address);
        if (!phone) return Error::Field("to", "field.invalid_phone");
        address = *phone;
        masked = MaskPhone(address);
    }
    json text = {{"subject", c.subject}, {"body", c.body}};
    auto rules = StoredRules(c.rules);
    if (!rules.ok()) return rules.take_error();
    auto set = EvaluateAudience(ctx, *rules, NowUnix());
    if (!set.ok()) return set.take_error();
    if (auto first = set->Ids(0, 1); !first.empty()) {
        auto rendered = PreviewFor(ctx.services, ctx.tx, c, first[0], NowUnix());
        if (!rendered.ok()) return rendered.take_error();
        text = *rendered;
    }
    const int64_t now = NowUnix();
    auto row = ctx.tx.QueryOne(
        "INSERT INTO messages (recipient, recipient_enc, channel, purpose, subject, body, status, campaign_id, created_at) "
        "VALUES (?, ?, ?, 'test', ?, ?, 'queued', ?, ?) RETURNING id",
        {masked, storage::Blob{ctx.services.vault->Encrypt(address)}, c.channel,
         "【测试】" + text["subject"].get<std::string>(), "【测试】" + text["body"].get<std::string>(), c.id, now});
    if (!row.ok()) return row.take_error();
    STORECRM_TRY(ctx.Audit({"campaign.test_send", "campaign", std::to_string(*id), masked}));
    return http::JsonOk(json{{"message_id", (*row)->Int(0)}, {"to", masked}, {"subject", text["subject"]}, {"body", text["body"]}}, 202);
}

Status SetStatus(RequestContext& ctx, int64_t id, const std::string& status) {
    auto r = ctx.tx.Exec("UPDATE campaigns SET status = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                         {status, NowUnix(), id});
    return r.ok() ? Ok() : Status(r.take_error());
}

// Where a campaign goes once it may run: one-off ones are scheduled, the others active.
std::string RunningStatus(const Campaign& c) { return c.schedule == "now" || c.schedule == "at" ? "scheduled" : "active"; }

Result<http::Response> Submit(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto loaded = LoadCampaign(ctx, *id);
    if (!loaded.ok()) return loaded.take_error();
    const Campaign& c = loaded->first;
    if (c.status != "draft") return Error::Conflict("status", "campaign.not_draft");
    auto rules = StoredRules(c.rules);
    if (!rules.ok()) return rules.take_error();
    auto set = EvaluateAudience(ctx.services, *rules, AudienceScope{.now = NowUnix()});
    if (!set.ok()) return set.take_error();
    auto settings = LoadMarketingSettings(ctx.tx, *ctx.services.vault);
    if (!settings.ok()) return settings.take_error();
    const auto audience = static_cast<int64_t>(set->size());
    const bool needs_approval = audience > settings->approval_threshold;
    STORECRM_TRY(ctx.tx.Exec("UPDATE campaigns SET audience_estimate = ?, requested_by = ?, approved_by = NULL, approved_at = ? "
                             "WHERE id = ?",
                             {audience, ctx.principal.StaffId(), needs_approval ? storage::Value() : storage::Value(NowUnix()), *id}));
    STORECRM_TRY(SetStatus(ctx, *id, needs_approval ? "pending_approval" : RunningStatus(c)));
    STORECRM_TRY(ctx.Audit({"campaign.submit", "campaign", std::to_string(*id),
                            json{{"audience", audience}, {"needs_approval", needs_approval}}.dump()}));
    return Answer(ctx, *id);
}

Result<http::Response> Approve(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto loaded = LoadCampaign(ctx, *id);
    if (!loaded.ok()) return loaded.take_error();
    if (loaded->first.status != "pending_approval") return Error::Conflict("status", "campaign.not_pending");
    const auto& requested_by = loaded->second["requested_by"];
    if (!requested_by.is_null() && ctx.principal.StaffId() == requested_by.get<int64_t>()) {
        return Error::Conflict("approved_by", "campaign.self_approval");
    }
    STORECRM_TRY(ctx.tx.Exec("UPDATE campaigns SET approved_by = ?, approved_at = ? WHERE id = ?",
                             {ctx.principal.StaffId(), NowUnix(), *id}));
    STORECRM_TRY(SetStatus(ctx, *id, RunningStatus(loaded->first)));
    STORECRM_TRY(ctx.Audit({"campaign.approve", "campaign", std::to_string(*id), loaded->first.name}));
    return Answer(ctx, *id);
}

Result<http::Response> Transition(RequestContext& ctx, std::initializer_list<const char*> from, const std::string& to,
                                  const char* action) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto loaded = LoadCampaign(ctx, *id);
    if (!loaded.ok()) return loaded.take_error();
    bool allowed = false;
    for (const char* s : from) allowed |= loaded->first.status == s;
    if (!allowed) return Error::Conflict("status", "campaign.bad_transition");
    const std::string target = to == "running" ? RunningStatus(loaded->first) : to;
    STORECRM_TRY(SetStatus(ctx, *id, target));
    STORECRM_TRY(ctx.Audit({action, "campaign", std::to_string(*id), loaded->first.status + " -> " + target}));
    return Answer(ctx, *id);
}

Result<http::Response> Reject(RequestContext& ctx) {
    return Transition(ctx, {"pending_approval"}, "draft", "campaign.reject");
}
Result<http::Response> Pause(RequestContext& ctx) { return Transition(ctx, {"scheduled", "active"}, "paused", "campaign.pause"); }
Result<http::Response> Resume(RequestContext& ctx) { return Transition(ctx, {"paused"}, "running", "campaign.resume"); }
Result<http::Response> Cancel(RequestContext& ctx) {
    return Transition(ctx, {"draft", "pending_approval", "scheduled", "active", "paused"}, "cancelled", "campaign.cancel");
}

}  // namespace

void RegisterCampaignRoutes(http::Router& router) {
    using storage::TxMode;
    const char* m = "campaigns.manage";
    router.Add({.method = "GET", .pattern = "/api/v1/campaigns", .permission = m, .tag = "campaigns",
                .summary = "List campaigns with their recipient counts", .handler = ListCampaigns});
    router.Add({.method = "POST", .pattern = "/api/v1/campaigns", .permission = m, .tx = TxMode::kWrite,
                .tag = "campaigns", .summary = "Draft a campaign", .handler = CreateCampaign});
    router.Add({.method = "GET", .pattern = "/api/v1/campaigns/{id}", .permission = m, .tag = "campaigns",
                .summary = "A campaign with its audience now", .handler = GetCampaign});
    router.Add({.method = "PUT", .pattern = "/api/v1/campaigns/{id}", .permission = m, .tx = TxMode::kWrite,
                .tag = "campaigns", .summary = "Change a draft or paused campaign (send version)", .handler = UpdateCampaign});
    router.Add({.method = "GET", .pattern = "/api/v1/campaigns/{id}/preview", .permission = m, .tag = "campaigns",
                .summary = "The message as a member would get it (?member_id, default the first of the audience)",
                .handler = Preview});
    router.Add({.method = "POST", .pattern = "/api/v1/campaigns/{id}/test", .permission = m, .tx = TxMode::kWrite,
                .tag = "campaigns", .summary = "Send a test to an address of the caller's", .handler = TestSend, .prepare = CatchUpAudience});
    router.Add({.method = "POST", .pattern = "/api/v1/campaigns/{id}/submit", .permission = m, .tx = TxMode::kWrite,
                .tag = "campaigns", .summary = "Submit: runs at once, or waits for approval above the threshold",
                .handler = Submit, .prepare = CatchUpAudience});
    router.Add({.method = "POST", .pattern = "/api/v1/campaigns/{id}/approve", .permission = "campaigns.approve",
                .tx = TxMode::kWrite, .tag = "campaigns", .summary = "Approve (not one's own)", .handler = Approve});
    router.Add({.method = "POST", .pattern = "/api/v1/campaigns/{id}/reject", .permission = "campaigns.approve",
                .tx = TxMode::kWrite, .tag = "campaigns", .summary = "Send back to draft", .handler = Reject});
    router.Add({.method = "POST", .pattern = "/api/v1/campaigns/{id}/pause", .permission = m, .tx = TxMode::kWrite,
                .tag = "campaigns", .summary = "Pause a scheduled or active campaign", .handler = Pause});
    router.Add({.method = "POST", .pattern = "/api/v1/campaigns/{id}/resume", .permission = m, .tx = TxMode::kWrite,
                .tag = "campaigns", .summary = "Resume a paused campaign", .handler = Resume});
    router.Add({.method = "POST", .pattern = "/api/v1/campaigns/{id}/cancel", .permission = m, .tx = TxMode::kWrite,
                .tag = "campaigns", .summary = "Cancel a campaign not yet done", .handler = Cancel});
}

}  // namespace storecrm::marketing
