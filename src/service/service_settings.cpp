#include "service/service_settings.hpp"

#include <nlohmann/json.hpp>

namespace storecrm::service {
namespace {

using nlohmann::json;

constexpr const char* kChannels[] = {"online", "phone", "email", "in_store"};
constexpr const char* kSeverities[] = {"low", "medium", "high", "critical"};

void ReadMinutesMap(http::BodyReader& body, const std::string& field, const char* const* keys, size_t n, int64_t max,
                    std::map<std::string, int64_t>& out) {
    const json* raw = body.Raw(field);
    if (!raw || raw->is_null()) return;
    if (!raw->is_object()) return body.AddError(field, "field.must_be_object");
    for (const auto& [key, value] : raw->items()) {
        bool known = false;
        for (size_t i = 0; i < n; ++i) known |= key == keys[i];
        if (!known) {
            body.AddError(field + "." + key, "field.unknown");
        } else if (!value.is_number_integer() || value.get<int64_t>() < 1 || value.get<int64_t>() > max) {
            body.AddError(field + "." + key, "field.out_of_range", {{"min", "1"}, {"max", std::to_string(max)}});
        } else {
            out[key] = value.get<int64_t>();
        }
    }
}

}  // namespace

Result<ServiceSettings> LoadServiceSettings(storage::Transaction& tx) {
    ServiceSettings s;
    auto row = tx.QueryOne("SELECT value FROM service_settings WHERE key = 'settings'");
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return s;
    auto doc = json::parse((*row)->Text(0), nullptr, false);
    if (!doc.is_object()) return s;
    s.birthday_days_ahead = doc.value("birthday_days_ahead", s.birthday_days_ahead);
    s.member_day_reminders = doc.value("member_day_reminders", s.member_day_reminders);
    s.cycle_reminders = doc.value("cycle_reminders", s.cycle_reminders);
    s.dormancy_days = doc.value("dormancy_days", s.dormancy_days);
    // Stored as null when there is no retention coupon.
    if (doc.contains("dormancy_coupon_template_id") && doc["dormancy_coupon_template_id"].is_number_integer()) {
        s.dormancy_coupon_template_id = doc["dormancy_coupon_template_id"].get<int64_t>();
    }
    s.points_expiry_days_ahead = doc.value("points_expiry_days_ahead", s.points_expiry_days_ahead);
    if (doc.contains("sla_response_minutes")) {
        for (const auto& [k, v] : doc["sla_response_minutes"].items()) s.sla_response_minutes[k] = v.get<int64_t>();
    }
    if (doc.contains("sla_resolution_hours")) {
        for (const auto& [k, v] : doc["sla_resolution_hours"].items()) s.sla_resolution_hours[k] = v.get<int64_t>();
    }
    if (doc.contains("legal_categories")) s.legal_categories = doc["legal_categories"].get<std::vector<std::string>>();
    if (doc.contains("member_editable_fields")) {
        s.member_editable_fields = doc["member_editable_fields"].get<std::vector<std::string>>();
    }
    s.version = doc.value("version", s.version);
    return s;
}

json ServiceSettingsJson(const ServiceSettings& s) {
    return {{"birthday_days_ahead", s.birthday_days_ahead},
            {"member_day_reminders", s.member_day_reminders},
            {"cycle_reminders", s.cycle_reminders},
            {"dormancy_days", s.dormancy_days},
            {"dormancy_coupon_template_id", s.dormancy_coupon_template_id ? json(s.dormancy_coupon_template_id) : json()},
            {"points_expiry_days_ahead", s.points_expiry_days_ahead},
            {"sla_response_minutes", s.sla_response_minutes},
            {"sla_resolution_hours", s.sla_resolution_hours},
            {"legal_categories", s.legal_categories},
            {"member_editable_fields", s.member_editable_fields},
            {"version", s.version}};
}

Status ReadServiceSettings(http::BodyReader& body, ServiceSettings& s) {
    if (auto v = body.Int("birthday_days_ahead", false, 0, 30)) s.birthday_days_ahead = *v;
    if (auto v = body.Bool("member_day_reminders")) s.member_day_reminders = *v;
    if (auto v = body.Bool("cycle_reminders")) s.cycle_reminders = *v;
    if (auto v = body.Int("dormancy_days", false, 0, 3650)) s.dormancy_days = *v;
    if (body.IsNull("dormancy_coupon_template_id")) {
        body.Accept("dormancy_coupon_template_id");
        s.dormancy_coupon_template_id = 0;
    } else if (auto v = body.Int("dormancy_coupon_template_id", false, 1)) {
        s.dormancy_coupon_template_id = *v;
    }
    if (auto v = body.Int("points_expiry_days_ahead", false, 0, 365)) s.points_expiry_days_ahead = *v;
    ReadMinutesMap(body, "sla_response_minutes", kChannels, 4, 7 * 24 * 60, s.sla_response_minutes);
    ReadMinutesMap(body, "sla_resolution_hours", kSeverities, 4, 30 * 24, s.sla_resolution_hours);
    if (auto v = body.TextList("legal_categories", false, 50, 40)) s.legal_categories = *v;
    if (auto v = body.TextList("member_editable_fields", false, 5, 20)) {
        for (const auto& field : *v) {
            if (field != "name" && field != "gender" && field != "birthday" && field != "email" && field != "address") {
                body.AddError("member_editable_fields", "field.invalid_choice", {{"choices", "name, gender, birthday, email, address"}});
            }
        }
        s.member_editable_fields = *v;
    }
    return body.Finish();
}

Status SaveServiceSettings(storage::Transaction& tx, ServiceSettings& s) {
    s.version += 1;
    STORECRM_TRY(tx.Exec(
        "INSERT INTO service_settings (key, value) VALUES ('settings', ?) ON CONFLICT (key) DO UPDATE SET value = "
        "excluded.value",
        {ServiceSettingsJson(s).dump()}));
    return Ok();
}

}  // namespace storecrm::service
