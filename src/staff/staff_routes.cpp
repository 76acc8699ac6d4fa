// Staff accounts (员工管理): create with an initial password, edit role and stores, disable,
// unlock after failed sign-ins, reset the password.
#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "http/paging.hpp"
#include "staff/routes.hpp"
#include "staff/staff_service.hpp"

namespace storecrm::staff {
namespace {

using http::RequestContext;
using nlohmann::json;

bool IsUsername(const std::string& s) {
    for (char c : s) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.') return false;
    }
    return s.size() >= 3;
}

// Staff outside the caller's store scope are invisible, as members of other stores are.
std::string StaffScope(const RequestContext& ctx, storage::Params& params) {
    if (ctx.principal.all_stores) return {};
    std::string clause = security::StoreScopeClause(ctx.principal, "ss.store_id", params);
    return " AND st.id IN (SELECT ss.staff_id FROM staff_stores ss WHERE 1 = 1" + clause + ")";
}

Result<json> LoadVisible(RequestContext& ctx, int64_t id) {
    storage::Params params{id};
    std::string sql = "SELECT st.id FROM staff st WHERE st.id = ?" + StaffScope(ctx, params);
    auto row = ctx.tx.QueryOne(sql, params);
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Error::NotFound();
    return StaffJson(ctx.tx, id);
}

Status CheckStoresInScope(RequestContext& ctx, const std::vector<int64_t>& store_ids) {
    for (int64_t store_id : store_ids) {
        if (!ctx.principal.CanAccessStore(store_id)) return Error::Field("store_ids", "field.store_out_of_scope");
    }
    return Ok();
}

Result<http::Response> ListStaff(RequestContext& ctx) {
    auto page = http::ReadPage(ctx.request);
    if (!page.ok()) return page.take_error();
    storage::Params params;
    std::string where = " WHERE 1 = 1" + StaffScope(ctx, params);
    if (auto q = ctx.request.QueryParam("q"); q && !q->empty()) {
        where += " AND (LOWER(st.username) LIKE LOWER(?) OR LOWER(st.name) LIKE LOWER(?))";
        params.insert(params.end(), {"%" + *q + "%", "%" + *q + "%"});
    }
    if (auto role = ctx.request.QueryParam("role_id"); role && !role->empty()) {
        where += " AND st.role_id = ?";
        params.emplace_back(std::atoll(role->c_str()));
    }
    if (auto store = ctx.request.QueryParam("store_id"); store && !store->empty()) {
        where += " AND st.id IN (SELECT staff_id FROM staff_stores WHERE store_id = ?)";
        params.emplace_back(std::atoll(store->c_str()));
    }
    if (auto status = ctx.request.QueryParam("status"); status && !status->empty()) {
        where += " AND st.status = ?";
        params.emplace_back(*status);
    }
    auto total = ctx.tx.QueryOne("SELECT COUNT(*) FROM staff st" + where, params);
    if (!total.ok()) return total.take_error();
    params.emplace_back(page->limit);
    params.emplace_back(page->offset);
    auto rows = ctx.tx.Query("SELECT st.id FROM staff st" + where + " ORDER BY st.username LIMIT ? OFFSET ?", params);
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) {
        auto staff = StaffJson(ctx.tx, r.Int(0));
        if (!staff.ok()) return staff.take_error();
        items.push_back(*staff);
    }
    return http::PageResponse(std::move(items), page->NextCursor((*total)->Int(0)), (*total)->Int(0));
}

Result<http::Response> GetStaff(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto staff = LoadVisible(ctx, *id);
    if (!staff.ok()) return staff.take_error();
    return http::JsonOk(*staff);
}

Result<http::Response> CreateStaffRoute(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto username = body->Text("username", {.required = true, .max_chars = 32});
    if (username && !IsUsername(*username)) body->AddError("username", "field.invalid_code");
    auto name = body->Text("name", {.required = true, .max_chars = 64});
    auto role_id = body->Int("role_id", true, 1);
    auto store_ids = body->IntList("store_ids");
    auto password = body->Text("password", {.required = true, .max_chars = 128, .raw = true});
    STORECRM_TRY(body->Finish());
    std::vector<int64_t> stores = store_ids.value_or(std::vector<int64_t>{});
    STORECRM_TRY(CheckStoresInScope(ctx, stores));
    auto id = CreateStaff(ctx.tx, {.username = *username, .name = *name, .role_id = *role_id, .store_ids = stores,
                                   .password = *password, .must_change_password = true});
    if (!id.ok()) return id.take_error();
    STORECRM_TRY(ctx.Audit({"staff.create", "staff", std::to_string(*id),
                            json{{"username", *username}, {"role_id", *role_id}, {"store_ids", stores}}.dump()}));
    auto staff = StaffJson(ctx.tx, *id);
    if (!staff.ok()) return staff.take_error();
    return http::JsonOk(*staff, 201);
}

Result<http::Response> UpdateStaff(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto current = LoadVisible(ctx, *id);
    if (!current.ok()) return current.take_error();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto version = body->Int("version", true, 1);
    auto name = body->Text("name", {.max_chars = 64});
    if (body->Has("name") && !name && !body->HasErrors()) body->AddError("name", "field.required");
    auto role_id = body->Int("role_id", false, 1);
    auto store_ids = body->IntList("store_ids");
    auto status = body->Choice("status", {"active", "disabled"});
    STORECRM_TRY(body->Finish());
    STORECRM_TRY(http::CheckVersion(*version, *current));
    if (status && *status == "disabled" && *id == ctx.principal.id) {
        return Error::Field("status", "field.cannot_disable_self");
    }
    if (role_id) {
        auto role = ctx.tx.QueryOne("SELECT 1 FROM roles WHERE id = ?", {*role_id});
        if (!role.ok()) return role.take_error();
        if (!role->has_value()) return Error::Field("role_id", "field.not_found");
    }
    if (store_ids) {
        STORECRM_TRY(CheckStoresInScope(ctx, *store_ids));
        STORECRM_TRY(ReplaceStores(ctx.tx, *id, *store_ids));
    }
    STORECRM_TRY(ctx.tx.Exec(
        "UPDATE staff SET name = COALESCE(?, name), role_id = COALESCE(?, role_id), status = COALESCE(?, status), "
        "version = version + 1, updated_at = ? WHERE id = ?",
        {name, role_id, status, NowUnix(), *id}));
    if (status && *status == "disabled") {
        STORECRM_TRY(ctx.tx.Exec("UPDATE sessions SET revoked_at = ? WHERE staff_id = ? AND revoked_at IS NULL",
                                 {NowUnix(), *id}));
    }
    json detail = json::object();
    if (name) detail["name"] = *name;
    if (role_id) detail["role_id"] = *role_id;
    if (store_ids) detail["store_ids"] = *store_ids;
    if (status) detail["status"] = *status;
    STORECRM_TRY(ctx.Audit({"staff.update", "staff", std::to_string(*id), detail.dump()}));
    auto staff = StaffJson(ctx.tx, *id);
    if (!staff.ok()) return staff.take_error();
    return http::JsonOk(*staff);
}

Result<http::Response> UnlockStaff(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto current = LoadVisible(ctx, *id);
    if (!current.ok()) return current.take_error();
    STORECRM_TRY(ctx.tx.Exec("UPDATE staff SET failed_attempts = 0, locked_until = NULL WHERE id = ?", {*id}));
    STORECRM_TRY(ctx.Audit({"staff.unlock", "staff", std::to_string(*id), "{}"}));
    auto staff = StaffJson(ctx.tx, *id);
    if (!staff.ok()) return staff.take_error();
    return http::JsonOk(*staff);
}

Result<http::Response> ResetPassword(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto current = LoadVisible(ctx, *id);
    if (!current.ok()) return current.take_error();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto password = body->Text("password", {.required = true, .max_chars = 128, .raw = true});
    STORECRM_TRY(body->Finish());
    STORECRM_TRY(CheckPassword("password", *password, (*current)["username"].get<std::string>()));
    STORECRM_TRY(SetPassword(ctx.tx, *id, *password, true));
    STORECRM_TRY(ctx.tx.Exec("UPDATE sessions SET revoked_at = ? WHERE staff_id = ? AND revoked_at IS NULL",
                             {NowUnix(), *id}));
    STORECRM_TRY(ctx.Audit({"staff.reset_password", "staff", std::to_string(*id), "{}"}));
    auto staff = StaffJson(ctx.tx, *id);
    if (!staff.ok()) return staff.take_error();
    return http::JsonOk(*staff);
}

}  // namespace

void RegisterStaffRoutes(http::Router& router) {
    using storage::TxMode;
    router.Add({.method = "GET", .pattern = "/api/v1/staff", .permission = "staff.manage", .tx = TxMode::kRead,
                .tag = "staff", .summary = "List staff (?q=&role_id=&store_id=&status=)", .handler = ListStaff});
    router.Add({.method = "POST", .pattern = "/api/v1/staff", .permission = "staff.manage", .tx = TxMode::kWrite,
                .tag = "staff", .summary = "Create a staff account with an initial password", .handler = CreateStaffRoute,
                .request_schema = R"({"type":"object","required":["username","name","role_id","password"],"properties":{"username":{"type":"string"},"name":{"type":"string"},"role_id":{"type":"integer"},"store_ids":{"type":"array","items":{"type":"integer"}},"password":{"type":"string"}}})"});
    router.Add({.method = "GET", .pattern = "/api/v1/staff/{id}", .permission = "staff.manage", .tx = TxMode::kRead,
                .tag = "staff", .summary = "One staff member", .handler = GetStaff});
    router.Add({.method = "PUT", .pattern = "/api/v1/staff/{id}", .permission = "staff.manage", .tx = TxMode::kWrite,
                .tag = "staff", .summary = "Edit name, role, stores, status (send version)", .handler = UpdateStaff});
    router.Add({.method = "POST", .pattern = "/api/v1/staff/{id}/unlock", .permission = "staff.manage",
                .tx = TxMode::kWrite, .tag = "staff", .summary = "Unlock after failed sign-ins", .handler = UnlockStaff});
    router.Add({.method = "POST", .pattern = "/api/v1/staff/{id}/reset-password", .permission = "staff.manage",
                .tx = TxMode::kWrite, .tag = "staff", .summary = "Set a new initial password", .handler = ResetPassword});
}

}  // namespace storecrm::staff
