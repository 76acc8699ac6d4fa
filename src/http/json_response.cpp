#include "http/json_response.hpp"

#include <nlohmann/json.hpp>

namespace storecrm::http {

Response JsonOk(const nlohmann::json& body, int status) {
    return Response::Json(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

Response ErrorResponse(const Error& error, Locale locale) {
    nlohmann::json fields = nlohmann::json::array();
    for (const auto& f : error.fields) fields.push_back({{"field", f.field}, {"message", Render(f.message, locale)}});
    nlohmann::json body = {{"error",
                            {{"code", ErrorCodeName(error.code)},
                             {"message", Render(error.message, locale)},
                             {"fields", fields}}}};
    if (!error.extra_json.empty()) {
        auto extra = nlohmann::json::parse(error.extra_json, nullptr, false);
        if (extra.is_object()) {
            for (auto& [k, v] : extra.items()) body["error"][k] = v;
        }
    }
    Response response = JsonOk(body, HttpStatusFor(error.code));
    if (error.code == ErrorCode::kBusy) response.headers.emplace_back("Retry-After", "1");
    return response;
}

Status CheckVersion(int64_t sent, const nlohmann::json& current) {
    if (sent == current.value("version", int64_t{0})) return Ok();
    Error e = Error::VersionConflict();
    e.extra_json = nlohmann::json{{"current", current}}.dump();
    return e;
}

Response PageResponse(nlohmann::json items, const std::string& next_cursor, int64_t total) {
    nlohmann::json body = {{"items", std::move(items)}, {"total", total}};
    body["next_cursor"] = next_cursor.empty() ? nlohmann::json(nullptr) : nlohmann::json(next_cursor);
    return JsonOk(body);
}

}  // namespace storecrm::http
