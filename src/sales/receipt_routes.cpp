// The receipt layout 小票格式: header and footer lines and whether member and points show,
// chain-wide with optional per-store overrides. The till prints the sale through it.
#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "sales/routes.hpp"

namespace storecrm::sales {
namespace {

using http::RequestContext;
using nlohmann::json;

constexpr const char* kColumns = "id, store_id, header, footer, show_member, show_points, version";

json TemplateJson(const storage::Row& r) {
    return {{"id", r.Int(0)},          {"store_id", r.IsNull(1) ? json() : json(r.Int(1))},
            {"header", r.Text(2)},      {"footer", r.Text(3)},
            {"show_member", r.Int(4) != 0}, {"show_points", r.Int(5) != 0},
            {"version", r.Int(6)}};
}

Result<std::optional<int64_t>> StoreParam(RequestContext& ctx) {
    auto text = ctx.request.QueryParam("store_id");
    if (!text || text->empty()) return std::optional<int64_t>();
    try {
        const int64_t id = std::stoll(*text);
        if (!ctx.principal.CanAccessStore(id)) return Error::Field("store_id", "field.store_out_of_scope");
        return std::optional<int64_t>(id);
    } catch (...) {
        return Error::Field("store_id", "field.must_be_integer");
    }
}

// GET /receipt-template?store_id=: the store's own layout, else the chain's.
Result<http::Response> GetTemplate(RequestContext& ctx) {
    auto store = StoreParam(ctx);
    if (!store.ok()) return store.take_error();
    auto row = ctx.tx.QueryOne(std::string("SELECT ") + kColumns +
                                   " FROM receipt_templates WHERE store_id = ? OR store_id IS NULL "
                                   "ORDER BY CASE WHEN store_id IS NULL THEN 1 ELSE 0 END LIMIT 1",
                               {*store});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Error::NotFound();
    return http::JsonOk(TemplateJson(**row));
}

// PUT /receipt-template?store_id= {header, footer, show_member, show_points}
Result<http::Response> PutTemplate(RequestContext& ctx) {
    auto store = StoreParam(ctx);
    if (!store.ok()) return store.take_error();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto header = body->Text("header", {.max_chars = 200, .multiline = true});
    auto footer = body->Text("footer", {.max_chars = 200, .multiline = true});
    auto show_member = body->Bool("show_member");
    auto show_points = body->Bool("show_points");
    body->Accept("version");
    STORECRM_TRY(body->Finish());
    auto current = ctx.tx.QueryOne(std::string("SELECT ") + kColumns + " FROM receipt_templates WHERE " +
                                       (*store ? "store_id = ?" : "store_id IS NULL"),
                                   *store ? storage::Params{**store} : storage::Params{});
    if (!current.ok()) return current.take_error();
    json t = current->has_value() ? TemplateJson(**current)
                                  : json{{"header", ""}, {"footer", ""}, {"show_member", true}, {"show_points", true}};
    if (header) t["header"] = *header;
    if (footer) t["footer"] = *footer;
    if (show_member) t["show_member"] = *show_member;
    if (show_points) t["show_points"] = *show_points;
    const storage::Params values{t["header"].get<std::string>(), t["footer"].get<std::string>(),
                                 t["show_member"].get<bool>(), t["show_points"].get<bool>(), NowUnix()};
    if (current->has_value()) {
        auto params = values;
        params.emplace_back((**current).Int(0));
        STORECRM_TRY(ctx.tx.Exec("UPDATE receipt_templates SET header = ?, footer = ?, show_member = ?, show_points = ?, "
                                 "updated_at = ?, version = version + 1 WHERE id = ?",
                                 params));
    } else {
        auto params = values;
        params.emplace_back(**store);
        STORECRM_TRY(ctx.tx.Exec("INSERT INTO receipt_templates (header, footer, show_member, show_points, updated_at, "
                                 "store_id) VALUES (?, ?, ?, ?, ?, ?)",
                                 params));
    }
    STORECRM_TRY(ctx.Audit({"receipt_template.update", "store", *store ? std::to_string(**store) : "", t.dump()}));
    return GetTemplate(ctx);
}

}  // namespace

void RegisterReceiptRoutes(http::Router& router) {
    using storage::TxMode;
    router.Add({.method = "GET", .pattern = "/api/v1/receipt-template", .permission = "sales.read", .tx = TxMode::kRead,
                .tag = "sales", .summary = "The receipt layout for a store (?store_id=), else the chain's",
                .handler = GetTemplate});
    router.Add({.method = "PUT", .pattern = "/api/v1/receipt-template", .permission = "stores.manage",
                .tx = TxMode::kWrite, .tag = "sales", .summary = "Change the receipt layout (chain, or ?store_id=)",
                .handler = PutTemplate});
}

}  // namespace storecrm::sales
