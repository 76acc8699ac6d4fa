// Roles (角色权限): a permission matrix kept as data. Built-in roles can be edited but keep
// their codes; an admin can add roles.
#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "security/permissions.hpp"
#include "staff/routes.hpp"

namespace storecrm::staff {
namespace {

using http::RequestContext;
using nlohmann::json;

constexpr const char* kColumns = "id, code, name, permissions, all_stores, builtin, version";

json RoleJson(const storage::Row& r) {
    auto permissions = json::parse(r.Text(3), nullptr, false);
    return {{"id", r.Int(0)},          {"code", r.Text(1)},          {"name", r.Text(2)},
            {"permissions", permissions.is_array() ? permissions : json::array()},
            {"all_stores", r.Int(4) != 0}, {"builtin", r.Int(5) != 0}, {"version", r.Int(6)}};
}

Result<json> LoadRole(RequestContext& ctx, int64_t id) {
    auto row = ctx.tx.QueryOne(std::string("SELECT ") + kColumns + " FROM roles WHERE id = ?", {id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Error::NotFound();
    return RoleJson(**row);
}

std::optional<std::vector<std::string>> ReadPermissions(http::BodyReader& body, bool required) {
    auto permissions = body.TextList("permissions", required, 100, 64);
    if (!permissions) return std::nullopt;
    for (const auto& p : *permissions) {
        if (!security::IsKnownPermission(p)) {
            body.AddError("permissions", "field.unknown_permission");
            return std::nullopt;
        }
    }
    return permissions;
}

Result<http::Response> ListPermissions(RequestContext& ctx) {
    json items = json::array();
    for (const auto& p : security::AllPermissions()) {
        items.push_back({{"code", p.code}, {"group", p.group}, {"name", ctx.locale == Locale::kEn ? p.name_en : p.name_zh}});
    }
    return http::PageResponse(std::move(items), "", static_cast<int64_t>(security::AllPermissions().size()));
}

Result<http::Response> ListRoles(RequestContext& ctx) {
    auto rows = ctx.tx.Query(std::string("SELECT ") + kColumns + " FROM roles ORDER BY builtin DESC, id");
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) items.push_back(RoleJson(r));
    return http::PageResponse(std::move(items), "", static_cast<int64_t>(rows->size()));
}

Result<http::Response> GetRole(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto role = LoadRole(ctx, *id);
    if (!role.ok()) return role.take_error();
    return http::JsonOk(*role);
}

Result<http::Response> CreateRole(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto code = body->Text("code", {.required = true, .max_chars = 32});
    if (code) {
        for (char c : *code) {
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') {
                body->AddError("code", "field.invalid_code");
                break;
            }
        }
    }
    auto name = body->Text("name", {.required = true, .max_chars = 64});
    auto permissions = ReadPermissions(*body, true);
    auto all_stores = body->Bool("all_stores");
    STORECRM_TRY(body->Finish());
    auto taken = ctx.tx.QueryOne("SELECT 1 FROM roles WHERE code = ?", {*code});
    if (!taken.ok()) return taken.take_error();
    if (taken->has_value()) return Error::Conflict("code", "field.code_taken");
    const int64_t now = NowUnix();
    auto row = ctx.tx.QueryOne(
        "INSERT INTO roles (code, name, permissions, all_stores, builtin, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, 0, ?, ?) RETURNING id",
        {*code, *name, json(*permissions).dump(), all_stores.value_or(false), now, now});
    if (!row.ok()) return row.take_error();
    const int64_t id = (*row)->Int(0);
    STORECRM_TRY(ctx.Audit({"role.create", "role", std::to_string(id),
                            json{{"code", *code}, {"permissions", *permissions}}.dump()}));
    auto role = LoadRole(ctx, id);
    if (!role.ok()) return role.take_error();
    return http::JsonOk(*role, 201);
}

Result<http::Response> UpdateRole(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto current = LoadRole(ctx, *id);
    if (!current.ok()) return current.take_error();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto version = body->Int("version", true, 1);
    auto name = body->Text("name", {.max_chars = 64});
    auto permissions = ReadPermissions(*body, false);
    auto all_stores = body->Bool("all_stores");
    if (body->Has("code")) {
        auto code = body->Text("code", {.max_chars = 32});
        if (code && *code != (*current)["code"]) body->AddError("code", "field.builtin_role");
    }
    STORECRM_TRY(body->Finish());
    STORECRM_TRY(http::CheckVersion(*version, *current));
    std::optional<std::string> permissions_text;
    if (permissions) permissions_text = json(*permissions).dump();
    STORECRM_TRY(ctx.tx.Exec(
        "UPDATE roles SET name = COALESCE(?, name), permissions = COALESCE(?, permissions), "
        "all_stores = COALESCE(?, all_stores), version = version + 1, updated_at = ? WHERE id = ?",
        {name, permissions_text, all_stores, NowUnix(), *id}));
    json detail = json::object();
    if (name) detail["name"] = *name;
    if (permissions) detail["permissions"] = *permissions;
    if (all_stores) detail["all_stores"] = *all_stores;
    STORECRM_TRY(ctx.Audit({"role.update", "role", std::to_string(*id), detail.dump()}));
    auto role = LoadRole(ctx, *id);
    if (!role.ok()) return role.take_error();
    return http::JsonOk(*role);
}

}  // namespace

void RegisterRoleRoutes(http::Router& router) {
    using storage::TxMode;
    router.Add({.method = "GET", .pattern = "/api/v1/permissions", .permission = "roles.manage", .tx = TxMode::kRead,
                .tag = "roles", .summary = "The permission catalog", .handler = ListPermissions});
    router.Add({.method = "GET", .pattern = "/api/v1/roles", .permission = "roles.manage", .tx = TxMode::kRead,
                .tag = "roles", .summary = "List roles", .handler = ListRoles});
    router.Add({.method = "POST", .pattern = "/api/v1/roles", .permission = "roles.manage", .tx = TxMode::kWrite,
                .tag = "roles", .summary = "Create a role", .handler = CreateRole,
                .request_schema = R"({"type":"object","required":["code","name","permissions"],"properties":{"code":{"type":"string"},"name":{"type":"string"},"permissions":{"type":"array","items":{"type":"string"}},"all_stores":{"type":"boolean"}}})"});
    router.Add({.method = "GET", .pattern = "/api/v1/roles/{id}", .permission = "roles.manage", .tx = TxMode::kRead,
                .tag = "roles", .summary = "One role", .handler = GetRole});
    router.Add({.method = "PUT", .pattern = "/api/v1/roles/{id}", .permission = "roles.manage", .tx = TxMode::kWrite,
                .tag = "roles", .summary = "Edit a role's name, permissions, store reach (send version)",
                .handler = UpdateRole});
}

}  // namespace storecrm::staff
