// The audit log (审计日志) as admins browse it.
#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "http/json_response.hpp"
#include "http/paging.hpp"
#include "staff/routes.hpp"
#include "staff/staff_service.hpp"

namespace storecrm::staff {
namespace {

using http::RequestContext;
using nlohmann::json;

Result<http::Response> ListAudit(RequestContext& ctx) {
    auto page = http::ReadPage(ctx.request, 50, 500);
    if (!page.ok()) return page.take_error();
    storage::Params params;
    std::string where = " WHERE 1 = 1";
    auto add_eq = [&](const char* param, const char* column) {
        if (auto v = ctx.request.QueryParam(param); v && !v->empty()) {
            where += std::string(" AND ") + column + " = ?";
            params.emplace_back(*v);
        }
    };
    add_eq("action", "action");
    add_eq("entity", "entity");
    add_eq("entity_id", "entity_id");
    if (auto v = ctx.request.QueryParam("actor_id"); v && !v->empty()) {
        where += " AND actor_id = ?";
        params.emplace_back(std::atoll(v->c_str()));
    }
    for (const char* bound : {"from", "to"}) {
        if (auto v = ctx.request.QueryParam(bound); v && !v->empty()) {
            auto day = ParseIsoDate(*v);
            if (!day) return Error::Field(bound, "field.invalid_date");
            where += std::string(" AND at ") + (bound[0] == 'f' ? ">= ?" : "< ?");
            params.emplace_back(bound[0] == 'f' ? *day : *day + 86400);
        }
    }
    // A manager of some stores audits what their stores' staff did; the chain-wide log (system
    // jobs, API tokens, other regions) is for those who see every store.
    if (!ctx.principal.all_stores) {
        where += " AND actor_type = 'staff'" + StaffScopeClause(ctx.principal, "actor_id", params);
    }
    auto total = ctx.tx.QueryOne("SELECT COUNT(*) FROM audit_log" + where, params);
    if (!total.ok()) return total.take_error();
    params.emplace_back(page->limit);
    params.emplace_back(page->offset);
    auto rows = ctx.tx.Query(
        "SELECT id, at, actor_type, actor_id, actor_name, action, entity, entity_id, ip, detail FROM audit_log" + where +
            " ORDER BY id DESC LIMIT ? OFFSET ?",
        params);
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) {
        auto detail = json::parse(r.Text(9), nullptr, false);
        items.push_back({{"id", r.Int(0)},
                         {"at", FormatIsoUtc(r.Int(1))},
                         {"actor", {{"type", r.Text(2)}, {"id", r.IsNull(3) ? json(nullptr) : json(r.Int(3))}, {"name", r.Text(4)}}},
                         {"action", r.Text(5)},
                         {"entity", r.Text(6)},
                         {"entity_id", r.Text(7)},
                         {"ip", r.Text(8)},
                         {"detail", detail.is_discarded() ? json::object() : detail}});
    }
    return http::PageResponse(std::move(items), page->NextCursor((*total)->Int(0)), (*total)->Int(0));
}

}  // namespace

void RegisterAuditRoutes(http::Router& router) {
    router.Add({.method = "GET", .pattern = "/api/v1/audit", .permission = "audit.read", .tx = storage::TxMode::kRead,
                .tag = "audit", .summary = "Browse the audit log (?actor_id=&action=&entity=&entity_id=&from=&to=)",
                .handler = ListAudit});
}

}  // namespace storecrm::staff
