// GET /staff/options: who a task or complaint can be given to — active staff of the caller's
// stores, names only — for pickers of people without the staff-management permission.
#include <nlohmann/json.hpp>

#include "http/json_response.hpp"
#include "service/routes.hpp"

namespace storecrm::service {
namespace {

Result<http::Response> StaffOptions(http::RequestContext& ctx) {
    storage::Params params;
    std::string where = " WHERE s.status = 'active'";
    if (auto v = ctx.request.QueryParam("store_id"); v && !v->empty()) {
        const int64_t store = std::atoll(v->c_str());
        if (!ctx.principal.CanAccessStore(store)) return Error::Field("store_id", "field.store_out_of_scope");
        auto exists = ctx.tx.QueryOne("SELECT 1 FROM stores WHERE id = ?", {store});
        if (!exists.ok()) return exists.take_error();
        if (!exists->has_value()) return Error::Field("store_id", "field.not_found");
        where += " AND (r.all_stores = 1 OR EXISTS (SELECT 1 FROM staff_stores x WHERE x.staff_id = s.id AND x.store_id = ?))";
        params.emplace_back(store);
    } else if (!ctx.principal.all_stores) {
        // Colleagues: anyone working in one of my stores, and chain-wide staff.
        storage::Params scope;
        const std::string clause = security::StoreScopeClause(ctx.principal, "x.store_id", scope);
        where += " AND (r.all_stores = 1 OR EXISTS (SELECT 1 FROM staff_stores x WHERE x.staff_id = s.id" + clause + "))";
        params.insert(params.end(), scope.begin(), scope.end());
    }
    auto rows = ctx.tx.Query(
        "SELECT s.id, s.name, r.code, r.name FROM staff s JOIN roles r ON r.id = s.role_id" + where + " ORDER BY s.name, s.id "
        "LIMIT 500",
        params);
    if (!rows.ok()) return rows.take_error();
    nlohmann::json items = nlohmann::json::array();
    for (const auto& r : *rows) {
        items.push_back({{"id", r.Int(0)}, {"name", r.Text(1)}, {"role_code", r.Text(2)}, {"role_name", r.Text(3)}});
    }
    return http::JsonOk({{"items", items}});
}

}  // namespace

void RegisterAssigneeRoutes(http::Router& router) {
    router.Add({.method = "GET", .pattern = "/api/v1/staff/options", .permission = "service.use",
                .tx = storage::TxMode::kRead, .tag = "service",
                .summary = "Active colleagues to assign tasks and complaints to (?store_id=)", .handler = StaffOptions});
}

}  // namespace storecrm::service
