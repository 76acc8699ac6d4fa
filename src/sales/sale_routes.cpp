// Sales 交易: checkout from the till and the POS API (with Idempotency-Key), quotes for the
// checkout page, the sale list, one sale, refunds, and a member's purchase history.
#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "http/paging.hpp"
#include "members/member_service.hpp"
#include "sales/routes.hpp"
#include "sales/sale_service.hpp"
#include "sales/sale_store.hpp"

namespace storecrm::sales {
namespace {

using http::RequestContext;
using nlohmann::json;

Result<http::Response> PostSale(RequestContext& ctx) {
    auto sale = CompleteSale(ctx);
    if (!sale.ok()) return sale.take_error();
    return http::JsonOk(*sale, 201);
}

Result<http::Response> PostQuote(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto input = ReadSaleInput(*body, ctx.principal, true);
    if (!input.ok()) return input.take_error();
    auto quote = QuoteSale(ctx, *input);
    if (!quote.ok()) return quote.take_error();
    return http::JsonOk(*quote);
}

Result<http::Response> GetSale(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto sale = LoadSaleJson(ctx, *id);
    if (!sale.ok()) return sale.take_error();
    return http::JsonOk(*sale);
}

Result<http::Response> PostRefund(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto input = ReadRefundInput(*body);
    if (!input.ok()) return input.take_error();
    auto refund = RefundSale(ctx, *id, *input);
    if (!refund.ok()) return refund.take_error();
    return http::JsonOk(*refund, 201);
}

// Filters shared by the sale list and a member's history.
Result<std::string> SaleFilters(RequestContext& ctx, storage::Params& params) {
    std::string where = " WHERE 1 = 1" + security::StoreScopeClause(ctx.principal, "s.store_id", params);
    std::vector<FieldError> errors;
    auto int_param = [&](const char* name, const char* column) {
        if (auto v = ctx.request.QueryParam(name); v && !v->empty()) {
            try {
                params.emplace_back(static_cast<int64_t>(std::stoll(*v)));
                where += std::string(" AND ") + column + " = ?";
            } catch (...) {
                errors.push_back({name, {"field.must_be_integer", {}}});
            }
        }
    };
    int_param("store_id", "s.store_id");
    int_param("member_id", "s.member_id");
    for (const auto& [name, op] : {std::pair{"from", ">="}, std::pair{"to", "<"}}) {
        if (auto v = ctx.request.QueryParam(name); v && !v->empty()) {
            auto day = ParseIsoDate(*v);
            if (!day) {
                errors.push_back({name, {"field.invalid_date", {}}});
                continue;
            }
            where += std::string(" AND s.sold_at ") + op + " ?";
            params.emplace_back(std::string(name) == "to" ? *day + 86400 : *day);
        }
    }
    if (auto status = ctx.request.QueryParam("status"); status && !status->empty()) {
        where += " AND s.status = ?";
        params.emplace_back(*status);
    }
    if (auto q = ctx.request.QueryParam("q"); q && !q->empty()) {
        where += " AND s.receipt_no = ?";
        params.emplace_back(*q);
    }
    if (!errors.empty()) return Error::Validation(std::move(errors));
    return where;
}

Result<http::Response> ListSales(RequestContext& ctx) {
    auto page = http::ReadPage(ctx.request, 20, 200);
    if (!page.ok()) return page.take_error();
    storage::Params params;
    auto where = SaleFilters(ctx, params);
    if (!where.ok()) return where.take_error();
    const std::string from = " FROM sales s JOIN stores st ON st.id = s.store_id LEFT JOIN members m ON m.id = s.member_id";
    auto total = ctx.tx.QueryOne("SELECT COUNT(*)" + from + *where, params);
    if (!total.ok()) return total.take_error();
    params.emplace_back(page->limit);
    params.emplace_back(page->offset);
    auto rows = ctx.tx.Query(std::string("SELECT ") + kSaleListColumns + from + *where +
                                 " ORDER BY s.sold_at DESC, s.id DESC LIMIT ? OFFSET ?",
                             params);
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) items.push_back(SaleListJson(r));
    return http::PageResponse(std::move(items), page->NextCursor((*total)->Int(0)), (*total)->Int(0));
}

// A member's purchases with their lines (the 360° page): any store's sales of a member the
// caller may see, since the member's history belongs to the member.
Result<http::Response> MemberSales(RequestContext& ctx) {
    auto member = members::LoadPathMember(ctx);
    if (!member.ok()) return member.take_error();
    auto page = http::ReadPage(ctx.request, 10, 100);
    if (!page.ok()) return page.take_error();
    auto total = ctx.tx.QueryOne("SELECT COUNT(*) FROM sales WHERE member_id = ?", {member->id});
    if (!total.ok()) return total.take_error();
    auto rows = ctx.tx.Query("SELECT id FROM sales WHERE member_id = ? ORDER BY sold_at DESC, id DESC LIMIT ? OFFSET ?",
                             {member->id, page->limit, page->offset});
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) {
        auto sale = SaleJson(ctx.tx, r.Int(0));
        if (!sale.ok()) return sale.take_error();
        sale->erase("member");
        items.push_back(std::move(*sale));
    }
    return http::PageResponse(std::move(items), page->NextCursor((*total)->Int(0)), (*total)->Int(0));
}

constexpr const char* kSaleSchema =
    R"({"type":"object","required":["lines","payments"],"properties":{"store_id":{"type":"integer"},"terminal":{"type":"string"},"receipt_no":{"type":"string"},"member_id":{"type":"integer"},"guide_id":{"type":"integer"},"sold_at":{"type":"string","format":"date-time"},"lines":{"type":"array","items":{"type":"object","required":["quantity"],"properties":{"sku":{"type":"string","description":"SKU or barcode"},"barcode":{"type":"string","description":"instead of sku"},"quantity":{"type":"integer"},"unit_price":{"type":"integer","description":"fen"},"discount":{"type":"integer","description":"fen"}}}},"payments":{"type":"array","items":{"type":"object","required":["method","amount"],"properties":{"method":{"type":"string","enum":["cash","bank_card","wechat_pay","alipay","other"]},"amount":{"type":"integer"}}}},"coupon_codes":{"type":"array","items":{"type":"string"}},"points_redeemed":{"type":"integer"}}})";

}  // namespace

void RegisterSaleRoutes(http::Router& router) {
    using storage::TxMode;
    router.Add({.method = "POST", .pattern = "/api/v1/sales", .permission = "sales.create", .tx = TxMode::kWrite,
                .tag = "sales", .summary = "Complete a sale (Idempotency-Key header required)", .handler = PostSale,
                .request_schema = kSaleSchema, .idempotency = http::Idempotency::kRequired, .prepare = PrepareSale});
    router.Add({.method = "POST", .pattern = "/api/v1/sales/quote", .permission = "sales.create", .tx = TxMode::kRead,
                .tag = "sales", .summary = "Price a basket without selling: discounts, points cap, points to earn",
                .handler = PostQuote, .request_schema = kSaleSchema});
    router.Add({.method = "GET", .pattern = "/api/v1/sales", .permission = "sales.read", .tx = TxMode::kRead,
                .tag = "sales", .summary = "List sales (?store_id=&member_id=&from=&to=&status=&q=receipt)",
                .handler = ListSales});
    router.Add({.method = "GET", .pattern = "/api/v1/sales/{id}", .permission = "sales.read", .tx = TxMode::kRead,
                .tag = "sales", .summary = "One sale with lines, payments, coupons and refunds", .handler = GetSale});
    router.Add({.method = "POST", .pattern = "/api/v1/sales/{id}/refunds", .permission = "sales.refund",
                .tx = TxMode::kWrite, .tag = "sales",
                .summary = "Refund a sale, whole or by line (Idempotency-Key honoured)", .handler = PostRefund,
                .request_schema = R"({"type":"object","properties":{"reason":{"type":"string"},"lines":{"type":"array","items":{"type":"object","required":["line_no","quantity"],"properties":{"line_no":{"type":"integer"},"quantity":{"type":"integer"}}}}}})",
                .idempotency = http::Idempotency::kOptional});
    router.Add({.method = "GET", .pattern = "/api/v1/members/{id}/sales", .permission = "sales.read",
                .tx = TxMode::kRead, .tag = "sales", .summary = "A member's purchases with lines", .handler = MemberSales});
}

}  // namespace storecrm::sales
