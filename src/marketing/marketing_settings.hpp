#pragma once
// Marketing settings: the weekly cap, quiet hours, the approval threshold, the public address
// for unsubscribe links, and the channels (SMS gateway, SMTP, file). One JSON document
// (marketing_settings row "settings") with a version; secrets are stored encrypted and never
// shown again.

#include <cstdint>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "common/error.hpp"
#include "http/body_reader.hpp"
#include "security/crypto.hpp"
#include "storage/database.hpp"

namespace storecrm::marketing {

struct MarketingSettings {
    int64_t weekly_cap = 2;                // marketing messages per member per 7 days, all channels; 0 = none
    std::string quiet_start = "21:00";     // store-local; equal start and end = no quiet hours
    std::string quiet_end = "09:00";
    int64_t approval_threshold = 1000;     // audiences above this need a second person's approval
    int64_t default_control_pct = 10;
    std::string public_base_url = "http://localhost:8080";  // unsubscribe links
    // SMS: "file" (the message log) or "http" (a JSON POST gateway, HMAC-signed).
    std::string sms_mode = "file";
    std::string sms_url;
    std::string sms_sender = "storecrm";
    std::string sms_secret;  // plain in memory only
    int64_t sms_per_minute = 600;
    // Email: "file" or "smtp" (smtp://host:port or smtps://…; libcurl).
    std::string email_mode = "file";
    std::string smtp_url;
    std::string smtp_from = "storecrm@localhost";
    std::string smtp_username;
    std::string smtp_password;  // plain in memory only
    int64_t email_per_minute = 600;
    int64_t version = 1;
};

Result<MarketingSettings> LoadMarketingSettings(storage::Transaction& tx, const security::FieldVault& vault);
// For the page: secrets as "…_set": true/false.
nlohmann::json MarketingSettingsJson(const MarketingSettings& s);
Status ReadMarketingSettings(http::BodyReader& body, MarketingSettings& s);
Status SaveMarketingSettings(storage::Transaction& tx, const security::FieldVault& vault, MarketingSettings& s);

}  // namespace storecrm::marketing
