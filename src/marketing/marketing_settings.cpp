#include "marketing/marketing_settings.hpp"

#include <cstring>

#include <nlohmann/json.hpp>

#include "marketing/campaign_rules.hpp"
#include "security/sealed_text.hpp"

namespace storecrm::marketing {
namespace {

using nlohmann::json;

constexpr const char* kKey = "settings";

std::string Reveal(const security::FieldVault& vault, const json& doc, const char* field) {
    if (!doc.contains(field) || !doc[field].is_string()) return "";
    return security::OpenText(vault, doc[field].get<std::string>()).value_or("");
}

}  // namespace

Result<MarketingSettings> LoadMarketingSettings(storage::Transaction& tx, const security::FieldVault& vault) {
    MarketingSettings s;
    auto row = tx.QueryOne("SELECT value FROM marketing_settings WHERE key = ?", {kKey});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return s;
    auto d = json::parse((*row)->Text(0), nullptr, false);
    if (!d.is_object()) return s;
    s.weekly_cap = d.value("weekly_cap", s.weekly_cap);
    s.quiet_start = d.value("quiet_start", s.quiet_start);
    s.quiet_end = d.value("quiet_end", s.quiet_end);
    s.approval_threshold = d.value("approval_threshold", s.approval_threshold);
    s.default_control_pct = d.value("default_control_pct", s.default_control_pct);
    s.public_base_url = d.value("public_base_url", s.public_base_url);
    s.sms_mode = d.value("sms_mode", s.sms_mode);
    s.sms_url = d.value("sms_url", s.sms_url);
    s.sms_sender = d.value("sms_sender", s.sms_sender);
    s.sms_secret = Reveal(vault, d, "sms_secret_enc");
    s.sms_per_minute = d.value("sms_per_minute", s.sms_per_minute);
    s.email_mode = d.value("email_mode", s.email_mode);
    s.smtp_url = d.value("smtp_url", s.smtp_url);
    s.smtp_from = d.value("smtp_from", s.smtp_from);
    s.smtp_username = d.value("smtp_username", s.smtp_username);
    s.smtp_password = Reveal(vault, d, "smtp_password_enc");
    s.email_per_minute = d.value("email_per_minute", s.email_per_minute);
    s.version = d.value("version", s.version);
    return s;
}

json MarketingSettingsJson(const MarketingSettings& s) {
    return {{"weekly_cap", s.weekly_cap},
            {"quiet_start", s.quiet_start},
            {"quiet_end", s.quiet_end},
            {"approval_threshold", s.approval_threshold},
            {"default_control_pct", s.default_control_pct},
            {"public_base_url", s.public_base_url},
            {"sms_mode", s.sms_mode},
            {"sms_url", s.sms_url},
            {"sms_sender", s.sms_sender},
            {"sms_secret_set", !s.sms_secret.empty()},
            {"sms_per_minute", s.sms_per_minute},
            {"email_mode", s.email_mode},
            {"smtp_url", s.smtp_url},
            {"smtp_from", s.smtp_from},
            {"smtp_username", s.smtp_username},
            {"smtp_password_set", !s.smtp_password.empty()},
            {"email_per_minute", s.email_per_minute},
            {"version", s.version}};
}

Status ReadMarketingSettings(http::BodyReader& body, MarketingSettings& s) {
    if (auto v = body.Int("weekly_cap", false, 0, 100)) s.weekly_cap = *v;
    for (auto [field, target] : {std::pair{"quiet_start", &s.quiet_start}, std::pair{"quiet_end", &s.quiet_end}}) {
        if (auto v = body.Text(field, {.max_chars = 5})) {
            if (ParseClock(*v) < 0) body.AddError(field, "field.invalid_time_of_day");
            else *target = *v;
        }
    }
    if (auto v = body.Int("approval_threshold", false, 0, 100000000)) s.approval_threshold = *v;
    if (auto v = body.Int("default_control_pct", false, 0, 50)) s.default_control_pct = *v;
    auto url = [&](const char* field, std::string& target, std::initializer_list<const char*> schemes) {
        auto v = body.Text(field, {.max_chars = 300});
        if (!v) return;
        bool ok = v->empty();
        for (const char* scheme : schemes) ok |= v->rfind(scheme, 0) == 0;
        if (!ok) body.AddError(field, "marketing.bad_url");
        else target = *v;
    };
    url("public_base_url", s.public_base_url, {"http://", "https://"});
    if (auto v = body.Choice("sms_mode", {"file", "http"})) s.sms_mode = *v;
    url("sms_url", s.sms_url, {"http://", "https://"});
    if (auto v = body.Text("sms_sender", {.max_chars = 20})) s.sms_sender = *v;
    if (auto v = body.Text("sms_secret", {.max_chars = 200, .raw = true})) s.sms_secret = *v;
    if (auto v = body.Int("sms_per_minute", false, 1, 100000)) s.sms_per_minute = *v;
    if (auto v = body.Choice("email_mode", {"file", "smtp"})) s.email_mode = *v;
    url("smtp_url", s.smtp_url, {"smtp://", "smtps://"});
    if (auto v = body.Text("smtp_from", {.max_chars = 200})) s.smtp_from = *v;
    if (auto v = body.Text("smtp_username", {.max_chars = 200})) s.smtp_username = *v;
    if (auto v = body.Text("smtp_password", {.max_chars = 200, .raw = true})) s.smtp_password = *v;
    if (auto v = body.Int("email_per_minute", false, 1, 100000)) s.email_per_minute = *v;
    if (s.sms_mode == "http" && s.sms_url.empty()) body.AddError("sms_url", "field.required");
    if (s.email_mode == "smtp" && s.smtp_url.empty()) body.AddError("smtp_url", "field.required");
    return body.Finish();
}

Status SaveMarketingSettings(storage::Transaction& tx, const security::FieldVault& vault, MarketingSettings& s) {
    s.version += 1;
    json doc = MarketingSettingsJson(s);
    doc.erase("sms_secret_set");
    doc.erase("smtp_password_set");
    if (!s.sms_secret.empty()) doc["sms_secret_enc"] = security::SealText(vault, s.sms_secret);
    if (!s.smtp_password.empty()) doc["smtp_password_enc"] = security::SealText(vault, s.smtp_password);
    auto r = tx.Exec(
        "INSERT INTO marketing_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        {kKey, doc.dump()});
    return r.ok() ? Ok() : Status(r.take_error());
}

}  // namespace storecrm::marketing
