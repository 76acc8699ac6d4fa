// Opting out without signing in: the unsubscribe link in every marketing email (a page, and
// one-click POST per RFC 8058) and the SMS gateway's forwarding of replies ("退订" / "TD"),
// both recorded in the consent ledger. Also the marketing settings page's routes.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/phone.hpp"
#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "marketing/campaigns.hpp"
#include "marketing/channels.hpp"
#include "marketing/marketing_settings.hpp"
#include "marketing/routes.hpp"

namespace storecrm::marketing {
namespace {

using http::RequestContext;
using nlohmann::json;

Status Withdraw(storage::Transaction& tx, int64_t member_id, const std::string& channel, const std::string& source) {
    auto current = tx.QueryOne("SELECT granted FROM member_consents WHERE member_id = ? AND channel = ? AND purpose = "
                               "'marketing' ORDER BY id DESC LIMIT 1",
                               {member_id, channel});
    if (!current.ok()) return current.take_error();
    if (current->has_value() && (*current)->Int(0) == 0) return Ok();  // already out: nothing twice
    auto r = tx.Exec("INSERT INTO member_consents (member_id, channel, purpose, granted, at, source, recorded_by_name) "
                     "VALUES (?, ?, 'marketing', 0, ?, ?, ?)",
                     {member_id, channel, NowUnix(), source, "member"});
    return r.ok() ? Ok() : Status(r.take_error());
}

http::Response Page(int status, const std::string& zh, const std::string& en, const std::string& form_action = "") {
    std::string html =
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
        "content=\"width=device-width, initial-scale=1\"><title>退订 Unsubscribe</title><style>body{font-family:system-ui,"
        "sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;line-height:1.6}button{font-size:1rem;padding:.6rem "
        "1.2rem}</style></head><body><p>" + zh + "</p><p>" + en + "</p>";
    if (!form_action.empty()) {
        html += "<form method=\"post\" action=\"" + form_action + "\"><button type=\"submit\">确认退订 / Unsubscribe</button></form>";
    }
    html += "</body></html>";
    http::Response r;
    r.status = status;
    r.content_type = "text/html; charset=utf-8";
    r.body = std::move(html);
    return r;
}

Result<http::Response> UnsubscribePage(RequestContext& ctx) {
    const std::string token = ctx.request.path_params.at("token");
    auto who = ReadUnsubscribeToken(*ctx.services.vault, token);
    if (!who) return Page(404, "链接无效。", "This link is not valid.");
    return Page(200, "退订后将不再收到营销邮件；会员权益不受影响。", "You will get no more marketing email; your membership stays as it is.",
                "/api/v1/public/unsubscribe/" + token);
}

Result<http::Response> Unsubscribe(RequestContext& ctx) {
    auto who = ReadUnsubscribeToken(*ctx.services.vault, ctx.request.path_params.at("token"));
    if (!who) return Page(404, "链接无效。", "This link is not valid.");
    auto member = ctx.tx.QueryOne("SELECT 1 FROM members WHERE id = ?", {who->first});
    if (!member.ok()) return member.take_error();
    if (!member->has_value()) return Page(404, "链接无效。", "This link is not valid.");
    STORECRM_TRY(Withdraw(ctx.tx, who->first, who->second, "unsubscribe_link"));
    STORECRM_TRY(ctx.Audit({"consent.unsubscribe", "member", std::to_string(who->first), who->second}));
    return Page(200, "已退订，您将不再收到营销邮件。", "You are unsubscribed from marketing email.");
}

// The SMS gateway forwards replies, signed like what we send it.
Result<http::Response> SmsReply(RequestContext& ctx) {
    auto settings = LoadMarketingSettings(ctx.tx, *ctx.services.vault);
    if (!settings.ok()) return settings.take_error();
    if (settings->sms_secret.empty() ||
        !CheckSignatureHeader(settings->sms_secret, std::string(ctx.request.Header("x-storecrm-signature")), ctx.request.body,
                              NowUnix())) {
        return Error::Forbidden();
    }
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto from = body->Text("from", {.required = true, .max_chars = 30});
    auto text = body->Text("text", {.required = true, .max_chars = 500, .multiline = true});
    body->Accept("message_id");
    STORECRM_TRY(body->Finish());
    std::string word = *text;
    word.erase(std::remove_if(word.begin(), word.end(), [](unsigned char c) { return std::isspace(c); }), word.end());
    std::transform(word.begin(), word.end(), word.begin(), [](unsigned char c) { return std::toupper(c); });
    const bool opt_out = word == "TD" || word == "T" || word == "N" || word == "STOP" || word == "UNSUBSCRIBE" ||
                         word == "退订" || word == "退訂";
    if (!opt_out) return http::JsonOk(json{{"unsubscribed", false}});
    auto phone = NormalizePhone(*from);
    if (!phone) return Error::Field("from", "field.invalid_phone");
    auto member = ctx.tx.QueryOne("SELECT id FROM members WHERE phone_bidx = ?",
                                  {storage::Blob{ctx.services.vault->BlindIndex("phone", *phone)}});
    if (!member.ok()) return member.take_error();
    if (!member->has_value()) return http::JsonOk(json{{"unsubscribed", false}});
    STORECRM_TRY(Withdraw(ctx.tx, (*member)->Int(0), "sms", "sms_reply"));
    STORECRM_TRY(ctx.Audit({"consent.unsubscribe", "member", std::to_string((*member)->Int(0)), "sms"}));
    return http::JsonOk(json{{"unsubscribed", true}});
}

Result<http::Response> GetSettings(RequestContext& ctx) {
    auto s = LoadMarketingSettings(ctx.tx, *ctx.services.vault);
    if (!s.ok()) return s.take_error();
    return http::JsonOk(MarketingSettingsJson(*s));
}

Result<http::Response> PutSettings(RequestContext& ctx) {
    auto current = LoadMarketingSettings(ctx.tx, *ctx.services.vault);
    if (!current.ok()) return current.take_error();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto version = body->Int("version", true, 1);
    MarketingSettings s = *current;
    STORECRM_TRY(ReadMarketingSettings(*body, s));
    STORECRM_TRY(http::CheckVersion(*version, MarketingSettingsJson(*current)));
    STORECRM_TRY(SaveMarketingSettings(ctx.tx, *ctx.services.vault, s));
    STORECRM_TRY(ctx.Audit({"marketing.settings", "marketing_settings", "settings", MarketingSettingsJson(s).dump()}));
    return http::JsonOk(MarketingSettingsJson(s));
}

}  // namespace

void RegisterConsentRoutes(http::Router& router) {
    using storage::TxMode;
    router.Add({.method = "GET", .pattern = "/api/v1/public/unsubscribe/{token}", .permission = http::kPublic,
                .tag = "public", .summary = "The unsubscribe page of a marketing email", .handler = UnsubscribePage});
    router.Add({.method = "POST", .pattern = "/api/v1/public/unsubscribe/{token}", .permission = http::kPublic,
                .tx = TxMode::kWrite, .tag = "public", .summary = "Unsubscribe (one-click, RFC 8058)", .handler = Unsubscribe});
    router.Add({.method = "POST", .pattern = "/api/v1/public/sms/replies", .permission = http::kPublic,
                .tx = TxMode::kWrite, .tag = "public",
                .summary = "The SMS gateway forwards a reply (signed); 退订 / TD opts the sender out", .handler = SmsReply});
    router.Add({.method = "GET", .pattern = "/api/v1/marketing/settings", .permission = "campaigns.manage",
                .tag = "campaigns", .summary = "Caps, quiet hours, approval threshold and channels", .handler = GetSettings});
    router.Add({.method = "PUT", .pattern = "/api/v1/marketing/settings", .permission = "marketing.settings",
                .tx = TxMode::kWrite, .tag = "campaigns", .summary = "Change the marketing settings (send version)",
                .handler = PutSettings});
}

}  // namespace storecrm::marketing
