// Custom member field definitions (自定义字段).
#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "members/routes.hpp"

namespace storecrm::members {
namespace {

using http::RequestContext;
using nlohmann::json;

constexpr const char* kColumns = "id, key, label, type, options, required, status, version";

json DefJson(const storage::Row& r) {
    auto options = json::parse(r.Text(4), nullptr, false);
    return {{"id", r.Int(0)},     {"key", r.Text(1)},  {"label", r.Text(2)},
            {"type", r.Text(3)},  {"options", options.is_array() ? options : json::array()},
            {"required", r.Int(5) != 0}, {"status", r.Text(6)}, {"version", r.Int(7)}};
}

Result<json> LoadDef(RequestContext& ctx, int64_t id) {
    auto row = ctx.tx.QueryOne(std::string("SELECT ") + kColumns + " FROM custom_field_defs WHERE id = ?", {id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Error::NotFound();
    return DefJson(**row);
}

Result<http::Response> ListDefs(RequestContext& ctx) {
    auto rows = ctx.tx.Query(std::string("SELECT ") + kColumns + " FROM custom_field_defs ORDER BY id");
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) items.push_back(DefJson(r));
    return http::PageResponse(std::move(items), "", static_cast<int64_t>(rows->size()));
}

Result<http::Response> CreateDef(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto key = body->Text("key", {.required = true, .max_chars = 32});
    if (key && key->find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos) {
        body->AddError("key", "field.invalid_code");
    }
    auto label = body->Text("label", {.required = true, .max_chars = 32});
    auto type = body->Choice("type", {"text", "number", "date", "single", "multi"}, true);
    auto options = body->TextList("options", false, 100, 32);
    auto required = body->Bool("required");
    if (type && (*type == "single" || *type == "multi") && (!options || options->empty()) && !body->HasErrors()) {
        body->AddError("options", "field.required");
    }
    STORECRM_TRY(body->Finish());
    auto taken = ctx.tx.QueryOne("SELECT 1 FROM custom_field_defs WHERE key = ?", {*key});
    if (!taken.ok()) return taken.take_error();
    if (taken->has_value()) return Error::Conflict("key", "field.code_taken");
    auto row = ctx.tx.QueryOne(
        "INSERT INTO custom_field_defs (key, label, type, options, required, created_at) VALUES (?, ?, ?, ?, ?, ?) "
        "RETURNING id",
        {*key, *label, *type, json(options.value_or(std::vector<std::string>{})).dump(), required.value_or(false),
         NowUnix()});
    if (!row.ok()) return row.take_error();
    const int64_t id = (**row).Int(0);
    STORECRM_TRY(ctx.Audit({"custom_field.create", "custom_field", std::to_string(id), json{{"key", *key}}.dump()}));
    auto def = LoadDef(ctx, id);
    if (!def.ok()) return def.take_error();
    return http::JsonOk(*def, 201);
}

Result<http::Response> UpdateDef(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto current = LoadDef(ctx, *id);
    if (!current.ok()) return current.take_error();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto version = body->Int("version", true, 1);
    auto label = body->Text("label", {.max_chars = 32});
    auto options = body->TextList("options", false, 100, 32);
    auto required = body->Bool("required");
    auto status = body->Choice("status", {"active", "disabled"});
    STORECRM_TRY(body->Finish());
    STORECRM_TRY(http::CheckVersion(*version, *current));
    std::optional<std::string> options_text;
    if (options) options_text = json(*options).dump();
    STORECRM_TRY(ctx.tx.Exec(
        "UPDATE custom_field_defs SET label = COALESCE(?, label), options = COALESCE(?, options), "
        "required = COALESCE(?, required), status = COALESCE(?, status), version = version + 1 WHERE id = ?",
        {label, options_text, required, status, *id}));
    STORECRM_TRY(ctx.Audit({"custom_field.update", "custom_field", std::to_string(*id), "{}"}));
    auto def = LoadDef(ctx, *id);
    if (!def.ok()) return def.take_error();
    return http::JsonOk(*def);
}

}  // namespace

void RegisterCustomFieldRoutes(http::Router& router) {
    using storage::TxMode;
    router.Add({.method = "GET", .pattern = "/api/v1/custom-fields", .permission = "members.read", .tx = TxMode::kRead,
                .tag = "custom-fields", .summary = "Custom member field definitions", .handler = ListDefs});
    router.Add({.method = "POST", .pattern = "/api/v1/custom-fields", .permission = "custom_fields.manage",
                .tx = TxMode::kWrite, .tag = "custom-fields", .summary = "Define a custom member field",
                .handler = CreateDef});
    router.Add({.method = "PUT", .pattern = "/api/v1/custom-fields/{id}", .permission = "custom_fields.manage",
                .tx = TxMode::kWrite, .tag = "custom-fields", .summary = "Edit a custom field (send version)",
                .handler = UpdateDef});
}

}  // namespace storecrm::members
