// GET/PUT /service/settings: reminders and the complaint SLA policy.
#include <nlohmann/json.hpp>

#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "service/routes.hpp"
#include "service/service_settings.hpp"

namespace storecrm::service {
namespace {

Result<http::Response> GetSettings(http::RequestContext& ctx) {
    auto s = LoadServiceSettings(ctx.tx);
    if (!s.ok()) return s.take_error();
    return http::JsonOk(ServiceSettingsJson(*s));
}

Result<http::Response> PutSettings(http::RequestContext& ctx) {
    auto current = LoadServiceSettings(ctx.tx);
    if (!current.ok()) return current.take_error();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto version = body->Int("version", true, 1);
    ServiceSettings s = *current;
    STORECRM_TRY(ReadServiceSettings(*body, s));
    STORECRM_TRY(http::CheckVersion(*version, ServiceSettingsJson(*current)));
    if (s.dormancy_coupon_template_id) {
        auto t = ctx.tx.QueryOne("SELECT id FROM coupon_templates WHERE id = ?", {s.dormancy_coupon_template_id});
        if (!t.ok()) return t.take_error();
        if (!t->has_value()) return Error::Field("dormancy_coupon_template_id", "field.not_found");
    }
    STORECRM_TRY(SaveServiceSettings(ctx.tx, s));
    STORECRM_TRY(ctx.Audit({"service.settings", "service_settings", "settings", ServiceSettingsJson(s).dump()}));
    return http::JsonOk(ServiceSettingsJson(s));
}

}  // namespace

void RegisterServiceSettingsRoutes(http::Router& router) {
    using storage::TxMode;
    router.Add({.method = "GET", .pattern = "/api/v1/service/settings", .permission = "service.use", .tx = TxMode::kRead,
                .tag = "service", .summary = "Reminder settings and the complaint SLA policy", .handler = GetSettings});
    router.Add({.method = "PUT", .pattern = "/api/v1/service/settings", .permission = "service.manage",
                .tx = TxMode::kWrite, .tag = "service", .summary = "Change reminder settings and the SLA policy (send version)",
                .handler = PutSettings});
}

}  // namespace storecrm::service
