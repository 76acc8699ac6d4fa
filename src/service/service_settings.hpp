#pragma once
// Service settings: which reminders run and when, and the complaint SLA policy. Kept as one
// JSON document (service_settings row "settings") with a version, edited on one page.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/error.hpp"
#include "http/body_reader.hpp"
#include "storage/database.hpp"

namespace storecrm::service {

struct ServiceSettings {
    int64_t birthday_days_ahead = 3;
    bool member_day_reminders = true;
    bool cycle_reminders = true;
    int64_t dormancy_days = 60;  // 0 = off
    int64_t dormancy_coupon_template_id = 0;  // 0 = no retention coupon
    int64_t points_expiry_days_ahead = 14;    // 0 = off
    // First response, by channel; resolution, by severity (both in business time).
    std::map<std::string, int64_t> sla_response_minutes = {{"online", 15}, {"phone", 60}, {"email", 240}, {"in_store", 60}};
    std::map<std::string, int64_t> sla_resolution_hours = {{"low", 72}, {"medium", 48}, {"high", 24}, {"critical", 4}};
    std::vector<std::string> legal_categories = {"food_safety", "allergy", "injury"};
    // What members may change themselves on their own pages (会员自助修改).
    std::vector<std::string> member_editable_fields = {"name", "gender", "birthday", "email"};
    int64_t version = 1;
};

Result<ServiceSettings> LoadServiceSettings(storage::Transaction& tx);
nlohmann::json ServiceSettingsJson(const ServiceSettings& s);
// Reads the fields present in the body onto `s` (validated; `version` is the caller's).
Status ReadServiceSettings(http::BodyReader& body, ServiceSettings& s);
Status SaveServiceSettings(storage::Transaction& tx, ServiceSettings& s);

}  // namespace storecrm::service
