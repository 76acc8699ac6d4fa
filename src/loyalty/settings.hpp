#pragma once
// Loyalty settings kept as rows of loyalty_settings: earn and redemption rates, the redemption
// cap, points expiry, the member day, and points for behaviours.

#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "common/error.hpp"
#include "http/body_reader.hpp"
#include "sales/pricing.hpp"
#include "storage/database.hpp"

namespace storecrm::loyalty {

struct LoyaltySettings {
    sales::LoyaltyRates rates;
    std::string expiry = "end_of_next_year";
    int64_t member_day = 0;  // 1 = Monday ... 7 = Sunday; 0 = none
    int64_t member_day_multiplier_pct = 200;
    int64_t registration_points = 0;
    int64_t profile_points = 0;
    int64_t checkin_points = 0;
    int64_t referral_points = 500;
    int64_t survey_points = 0;
    int64_t referral_coupon_template_id = 0;  // also given to the referrer; 0 = none
    std::string promo_dates;                  // double-points days: "YYYY-MM-DD,..." in store time
    int64_t promo_multiplier_pct = 200;
};

Result<LoyaltySettings> LoadSettings(storage::Transaction& tx);
nlohmann::json SettingsJson(const LoyaltySettings& s);
// Reads the fields present in the body onto `s` (validated).
Status ReadSettings(http::BodyReader& body, LoyaltySettings& s);
Status SaveSettings(storage::Transaction& tx, const LoyaltySettings& s);

}  // namespace storecrm::loyalty
