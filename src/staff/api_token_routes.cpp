// API tokens for POS and e-commerce integrations: one store, chosen permissions, shown once,
// stored hashed, revocable.
#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "security/crypto.hpp"
#include "security/permissions.hpp"
#include "staff/routes.hpp"

namespace storecrm::staff {
namespace {

using http::RequestContext;
using nlohmann::json;

json TokenJson(const storage::Row& r) {
    auto permissions = json::parse(r.Text(4), nullptr, false);
    return {{"id", r.Int(0)},
            {"name", r.Text(1)},
            {"token_prefix", r.Text(2)},
            {"store_id", r.Int(3)},
            {"permissions", permissions.is_array() ? permissions : json::array()},
            {"created_at", FormatIsoUtc(r.Int(5))},
            {"last_used_at", r.IsNull(6) ? json(nullptr) : json(FormatIsoUtc(r.Int(6)))},
            {"revoked_at", r.IsNull(7) ? json(nullptr) : json(FormatIsoUtc(r.Int(7)))}};
}

constexpr const char* kColumns =
    "id, name, token_prefix, store_id, permissions, created_at, last_used_at, revoked_at";

Result<http::Response> ListTokens(RequestContext& ctx) {
    storage::Params params;
    std::string sql = std::string("SELECT ") + kColumns + " FROM api_tokens WHERE 1 = 1" +
                      security::StoreScopeClause(ctx.principal, "store_id", params) + " ORDER BY id DESC";
    auto rows = ctx.tx.Query(sql, params);
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) items.push_back(TokenJson(r));
    return http::PageResponse(std::move(items), "", static_cast<int64_t>(rows->size()));
}

Result<http::Response> CreateToken(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto name = body->Text("name", {.required = true, .max_chars = 64});
    auto store_id = body->Int("store_id", true, 1);
    auto permissions = body->TextList("permissions", true, 100, 64);
    if (permissions) {
        for (const auto& p : *permissions) {
            // A token can never hold more than its creator.
            if (!security::IsKnownPermission(p) || !ctx.principal.Has(p)) {
                body->AddError("permissions", "field.unknown_permission");
                break;
            }
        }
    }
    STORECRM_TRY(body->Finish());
    auto store = ctx.tx.QueryOne("SELECT 1 FROM stores WHERE id = ?", {*store_id});
    if (!store.ok()) return store.take_error();
    if (!store->has_value()) return Error::Field("store_id", "field.not_found");
    if (!ctx.principal.CanAccessStore(*store_id)) return Error::Field("store_id", "field.store_out_of_scope");
    const std::string token = "sct_" + security::RandomToken();
    auto row = ctx.tx.QueryOne(
        "INSERT INTO api_tokens (name, token_hash, token_prefix, store_id, permissions, created_by, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING " + std::string(kColumns),
        {*name, security::HashToken(token), token.substr(0, 8), *store_id, json(*permissions).dump(),
         ctx.principal.id, NowUnix()});
    if (!row.ok()) return row.take_error();
    json out = TokenJson(**row);
    STORECRM_TRY(ctx.Audit({"api_token.create", "api_token", std::to_string(out["id"].get<int64_t>()),
                            json{{"name", *name}, {"store_id", *store_id}, {"permissions", *permissions}}.dump()}));
    out["token"] = token;
    return http::JsonOk(out, 201);
}

Result<http::Response> RevokeToken(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    storage::Params params{NowUnix(), *id};
    std::string sql = "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL" +
                      security::StoreScopeClause(ctx.principal, "store_id", params);
    auto r = ctx.tx.Exec(sql, params);
    if (!r.ok()) return r.take_error();
    if (r->changes == 0) return Error::NotFound();
    STORECRM_TRY(ctx.Audit({"api_token.revoke", "api_token", std::to_string(*id), "{}"}));
    return http::Response::NoContent();
}

}  // namespace

void RegisterApiTokenRoutes(http::Router& router) {
    using storage::TxMode;
    router.Add({.method = "GET", .pattern = "/api/v1/api-tokens", .permission = "api_tokens.manage",
                .tx = TxMode::kRead, .tag = "api-tokens", .summary = "List API tokens", .handler = ListTokens});
    router.Add({.method = "POST", .pattern = "/api/v1/api-tokens", .permission = "api_tokens.manage",
                .tx = TxMode::kWrite, .tag = "api-tokens",
                .summary = "Create a token for one store with chosen permissions; the token is shown once",
                .handler = CreateToken, .staff_only = true,
                .request_schema = R"({"type":"object","required":["name","store_id","permissions"],"properties":{"name":{"type":"string"},"store_id":{"type":"integer"},"permissions":{"type":"array","items":{"type":"string"}}}})"});
    router.Add({.method = "DELETE", .pattern = "/api/v1/api-tokens/{id}", .permission = "api_tokens.manage",
                .tx = TxMode::kWrite, .tag = "api-tokens", .summary = "Revoke a token", .handler = RevokeToken});
}

}  // namespace storecrm::staff
