// Stock 库存 per store: levels with a low-stock threshold, manual adjustments, transfers
// between stores, and the movement ledger. Every change is a movement row.
#include <nlohmann/json.hpp>

#include "catalog/products.hpp"
#include "catalog/routes.hpp"
#include "common/clock.hpp"
#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "http/paging.hpp"

namespace storecrm::catalog {
namespace {

using http::RequestContext;
using nlohmann::json;

Result<int64_t> StoreParam(RequestContext& ctx) {
    auto text = ctx.request.QueryParam("store_id");
    if (!text || text->empty()) {
        if (!ctx.principal.all_stores && ctx.principal.store_ids.size() == 1) return ctx.principal.store_ids.front();
        return Error::Field("store_id", "field.required");
    }
    int64_t id = 0;
    try {
        id = std::stoll(*text);
    } catch (...) {
        return Error::Field("store_id", "field.must_be_integer");
    }
    if (!ctx.principal.CanAccessStore(id)) return Error::Field("store_id", "field.store_out_of_scope");
    return id;
}

Result<http::Response> ListStock(RequestContext& ctx) {
    auto store = StoreParam(ctx);
    if (!store.ok()) return store.take_error();
    auto page = http::ReadPage(ctx.request, 50, 500);
    if (!page.ok()) return page.take_error();
    storage::Params params{*store};
    std::string where = " WHERE s.store_id = ?";
    if (ctx.request.QueryParam("low").value_or("") == "1") where += " AND s.quantity <= s.low_threshold";
    if (auto q = ctx.request.QueryParam("q"); q && !q->empty()) {
        where += " AND (p.sku = ? OR p.barcode = ? OR p.name LIKE ?)";
        params.insert(params.end(), {*q, *q, "%" + *q + "%"});
    }
    const std::string from = " FROM stock s JOIN products p ON p.id = s.product_id";
    auto total = ctx.tx.QueryOne("SELECT COUNT(*)" + from + where, params);
    if (!total.ok()) return total.take_error();
    params.emplace_back(page->limit);
    params.emplace_back(page->offset);
    auto rows = ctx.tx.Query("SELECT p.id, p.sku, p.name, s.quantity, s.low_threshold" + from + where +
                                 " ORDER BY p.sku LIMIT ? OFFSET ?",
                             params);
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) {
        items.push_back({{"store_id", *store}, {"product_id", r.Int(0)}, {"sku", r.Text(1)}, {"name", r.Text(2)},
                         {"quantity", r.Int(3)}, {"low_threshold", r.Int(4)}, {"low", r.Int(3) <= r.Int(4)}});
    }
    return http::PageResponse(std::move(items), page->NextCursor((*total)->Int(0)), (*total)->Int(0));
}

Status CheckProduct(storage::Transaction& tx, int64_t id) {
    auto p = LoadProduct(tx, id);
    if (!p.ok()) return p.take_error();
    if (!p->has_value()) return Error::Field("product_id", "field.not_found");
    return Ok();
}

// POST /stock/adjustments {store_id, product_id, quantity (signed), note, low_threshold}
Result<http::Response> AdjustStock(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto store = body->Int("store_id", true, 1);
    auto product = body->Int("product_id", true, 1);
    auto quantity = body->Int("quantity", false, -1000000, 1000000);
    auto note = body->Text("note", {.max_chars = 200});
    auto threshold = body->Int("low_threshold", false, 0, 1000000);
    if (!quantity && !threshold) body->AddError("quantity", "field.required");
    STORECRM_TRY(body->Finish());
    if (!ctx.principal.CanAccessStore(*store)) return Error::Field("store_id", "field.store_out_of_scope");
    STORECRM_TRY(CheckProduct(ctx.tx, *product));
    const int64_t now = NowUnix();
    const std::optional<int64_t> operator_id = ctx.principal.StaffId();
    STORECRM_TRY(MoveStock(ctx.tx, {.store_id = *store, .product_id = *product, .quantity = quantity.value_or(0),
                                    .reason = "adjustment", .source_type = "staff", .note = note.value_or(""),
                                    .operator_id = operator_id, .now = now}));
    if (threshold) {
        STORECRM_TRY(ctx.tx.Exec("UPDATE stock SET low_threshold = ? WHERE store_id = ? AND product_id = ?",
                                 {*threshold, *store, *product}));
    }
    STORECRM_TRY(ctx.Audit({"stock.adjust", "product", std::to_string(*product),
                            json({{"store_id", *store}, {"quantity", quantity.value_or(0)}, {"note", note.value_or("")}}).dump()}));
    auto row = ctx.tx.QueryOne("SELECT quantity, low_threshold FROM stock WHERE store_id = ? AND product_id = ?",
                               {*store, *product});
    if (!row.ok()) return row.take_error();
    return http::JsonOk({{"store_id", *store}, {"product_id", *product}, {"quantity", (*row)->Int(0)},
                         {"low_threshold", (*row)->Int(1)}});
}

// POST /stock/transfers {from_store_id, to_store_id, product_id, quantity, note}
Result<http::Response> TransferStock(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto from = body->Int("from_store_id", true, 1);
    auto to = body->Int("to_store_id", true, 1);
    auto product = body->Int("product_id", true, 1);
    auto quantity = body->Int("quantity", true, 1, 1000000);
    auto note = body->Text("note", {.max_chars = 200});
    if (from && to && *from == *to) body->AddError("to_store_id", "field.same_store");
    STORECRM_TRY(body->Finish());
    if (!ctx.principal.CanAccessStore(*from)) return Error::Field("from_store_id", "field.store_out_of_scope");
    auto target = ctx.tx.QueryOne("SELECT 1 FROM stores WHERE id = ?", {*to});
    if (!target.ok()) return target.take_error();
    if (!target->has_value()) return Error::Field("to_store_id", "field.not_found");
    STORECRM_TRY(CheckProduct(ctx.tx, *product));
    const int64_t now = NowUnix();
    const std::optional<int64_t> operator_id = ctx.principal.StaffId();
    STORECRM_TRY(MoveStock(ctx.tx, {.store_id = *from, .product_id = *product, .quantity = -*quantity,
                                    .reason = "transfer_out", .source_type = "store", .source_id = *to,
                                    .note = note.value_or(""), .operator_id = operator_id, .now = now}));
    STORECRM_TRY(MoveStock(ctx.tx, {.store_id = *to, .product_id = *product, .quantity = *quantity,
                                    .reason = "transfer_in", .source_type = "store", .source_id = *from,
                                    .note = note.value_or(""), .operator_id = operator_id, .now = now}));
    STORECRM_TRY(ctx.Audit({"stock.transfer", "product", std::to_string(*product),
                            json({{"from", *from}, {"to", *to}, {"quantity", *quantity}}).dump()}));
    return http::JsonOk({{"from_store_id", *from}, {"to_store_id", *to}, {"product_id", *product}, {"quantity", *quantity}},
                        201);
}

Result<http::Response> ListMovements(RequestContext& ctx) {
    auto store = StoreParam(ctx);
    if (!store.ok()) return store.take_error();
    auto page = http::ReadPage(ctx.request, 50, 500);
    if (!page.ok()) return page.take_error();
    storage::Params params{*store};
    std::string where = " WHERE m.store_id = ?";
    if (auto product = ctx.request.QueryParam("product_id"); product && !product->empty()) {
        try {
            params.emplace_back(static_cast<int64_t>(std::stoll(*product)));
        } catch (...) {
            return Error::Field("product_id", "field.must_be_integer");
        }
        where += " AND m.product_id = ?";
    }
    auto total = ctx.tx.QueryOne("SELECT COUNT(*) FROM stock_movements m" + where, params);
    if (!total.ok()) return total.take_error();
    params.emplace_back(page->limit);
    params.emplace_back(page->offset);
    auto rows = ctx.tx.Query(
        "SELECT m.id, m.product_id, p.sku, p.name, m.quantity, m.reason, m.source_type, m.source_id, m.note, m.created_at "
        "FROM stock_movements m JOIN products p ON p.id = m.product_id" + where + " ORDER BY m.id DESC LIMIT ? OFFSET ?",
        params);
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) {
        items.push_back({{"id", r.Int(0)}, {"product_id", r.Int(1)}, {"sku", r.Text(2)}, {"name", r.Text(3)},
                         {"quantity", r.Int(4)}, {"reason", r.Text(5)}, {"source_type", r.Text(6)},
                         {"source_id", r.IsNull(7) ? json() : json(r.Int(7))}, {"note", r.Text(8)},
                         {"created_at", FormatIsoUtc(r.Int(9))}});
    }
    return http::PageResponse(std::move(items), page->NextCursor((*total)->Int(0)), (*total)->Int(0));
}

}  // namespace

void RegisterStockRoutes(http::Router& router) {
    using storage::TxMode;
    router.Add({.method = "GET", .pattern = "/api/v1/stock", .permission = "products.read", .tx = TxMode::kRead,
                .tag = "catalog", .summary = "Stock levels of a store (?store_id=&low=1&q=)", .handler = ListStock});
    router.Add({.method = "POST", .pattern = "/api/v1/stock/adjustments", .permission = "stock.manage",
                .tx = TxMode::kWrite, .tag = "catalog", .summary = "Adjust stock or its low-stock threshold",
                .handler = AdjustStock});
    router.Add({.method = "POST", .pattern = "/api/v1/stock/transfers", .permission = "stock.manage",
                .tx = TxMode::kWrite, .tag = "catalog", .summary = "Move stock from one store to another",
                .handler = TransferStock});
    router.Add({.method = "GET", .pattern = "/api/v1/stock/movements", .permission = "products.read",
                .tx = TxMode::kRead, .tag = "catalog", .summary = "The stock ledger of a store (?store_id=&product_id=)",
                .handler = ListMovements});
}

}  // namespace storecrm::catalog
