#include "loyalty/settings.hpp"

#include <map>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "loyalty/local_time.hpp"

namespace storecrm::loyalty {
namespace {

struct IntSetting {
    const char* key;
    int64_t LoyaltySettings::*field;
    int64_t min;
    int64_t max;
};

// Integer settings, in one table so loading, saving, JSON and validation agree.
const std::vector<IntSetting>& IntSettings() {
    static const std::vector<IntSetting> settings = {
        {"member_day", &LoyaltySettings::member_day, 0, 7},
        {"member_day_multiplier_pct", &LoyaltySettings::member_day_multiplier_pct, 100, 1000},
        {"registration_points", &LoyaltySettings::registration_points, 0, 1000000},
        {"profile_points", &LoyaltySettings::profile_points, 0, 1000000},
        {"checkin_points", &LoyaltySettings::checkin_points, 0, 1000000},
        {"referral_points", &LoyaltySettings::referral_points, 0, 1000000},
        {"survey_points", &LoyaltySettings::survey_points, 0, 1000000},
        {"referral_coupon_template_id", &LoyaltySettings::referral_coupon_template_id, 0, INT64_MAX},
        {"promo_multiplier_pct", &LoyaltySettings::promo_multiplier_pct, 100, 1000},
    };
    return settings;
}

struct RateSetting {
    const char* key;
    int64_t sales::LoyaltyRates::*field;
    int64_t min;
    int64_t max;
};

const std::vector<RateSetting>& RateSettings() {
    static const std::vector<RateSetting> settings = {
        {"points_per_yuan", &sales::LoyaltyRates::points_per_yuan, 0, 100},
        {"redeem_points_per_yuan", &sales::LoyaltyRates::redeem_points_per_yuan, 1, 10000},
        {"redeem_cap_pct", &sales::LoyaltyRates::redeem_cap_pct, 0, 100},
    };
    return settings;
}

int64_t ToInt(const std::string& text, int64_t fallback) {
    try {
        return text.empty() ? fallback : std::stoll(text);
    } catch (...) {
        return fallback;
    }
}

}  // namespace

Result<LoyaltySettings> LoadSettings(storage::Transaction& tx) {
    auto rows = tx.Query("SELECT key, value FROM loyalty_settings");
    if (!rows.ok()) return rows.take_error();
    std::map<std::string, std::string> values;
    for (const auto& r : *rows) values[r.Text(0)] = r.Text(1);
    LoyaltySettings s;
    for (const auto& setting : IntSettings()) s.*setting.field = ToInt(values[setting.key], s.*setting.field);
    for (const auto& setting : RateSettings()) s.rates.*setting.field = ToInt(values[setting.key], s.rates.*setting.field);
    if (IsExpiryPolicy(values["expiry"])) s.expiry = values["expiry"];
    s.promo_dates = values["promo_dates"];
    return s;
}

nlohmann::json SettingsJson(const LoyaltySettings& s) {
    nlohmann::json out = {{"expiry", s.expiry}, {"promo_dates", s.promo_dates}};
    for (const auto& setting : IntSettings()) out[setting.key] = s.*setting.field;
    for (const auto& setting : RateSettings()) out[setting.key] = s.rates.*setting.field;
    return out;
}

Status ReadSettings(http::BodyReader& body, LoyaltySettings& s) {
    for (const auto& setting : IntSettings()) {
        if (auto v = body.Int(setting.key, false, setting.min, setting.max)) s.*setting.field = *v;
    }
    for (const auto& setting : RateSettings()) {
        if (auto v = body.Int(setting.key, false, setting.min, setting.max)) s.rates.*setting.field = *v;
    }
    if (auto expiry = body.Text("expiry", {.max_chars = 20})) {
        if (IsExpiryPolicy(*expiry)) {
            s.expiry = *expiry;
        } else {
            body.AddError("expiry", "field.invalid_choice", {{"choices", "never, end_of_year, end_of_next_year, days:N"}});
        }
    }
    if (auto dates = body.Text("promo_dates", {.max_chars = 1100})) {
        // Up to 100 dates, each YYYY-MM-DD, comma-separated.
        std::string normalised;
        size_t start = 0, count = 0;
        while (start <= dates->size() && !dates->empty()) {
            size_t end = dates->find(',', start);
            if (end == std::string::npos) end = dates->size();
            std::string one = dates->substr(start, end - start);
            one.erase(0, one.find_first_not_of(' '));
            one.erase(one.find_last_not_of(' ') + 1);
            if (!ParseIsoDate(one) || ++count > 100) {
                body.AddError("promo_dates", "field.invalid_date");
                break;
            }
            normalised += (normalised.empty() ? "" : ",") + one;
            start = end + 1;
        }
        s.promo_dates = normalised;
    }
    return body.Finish();
}

Status SaveSettings(storage::Transaction& tx, const LoyaltySettings& s) {
    const auto json = SettingsJson(s);
    for (const auto& [key, value] : json.items()) {
        const std::string text = value.is_string() ? value.get<std::string>() : value.dump();
        // Upsert: keys added by later versions may not have a row yet.
        STORECRM_TRY(tx.Exec("INSERT INTO loyalty_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET "
                             "value = excluded.value",
                             {key, text}));
    }
    return Ok();
}

}  // namespace storecrm::loyalty
