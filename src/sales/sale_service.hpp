#pragma once
// Checkout and refunds: one sale or one refund is one transaction that prices the basket,
// spends and earns points, uses coupons, moves stock, updates the member's totals and tier,
// and rewards a referral, so a failure anywhere writes nothing.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/error.hpp"
#include "http/body_reader.hpp"
#include "http/context.hpp"
#include "storage/database.hpp"

namespace storecrm::sales {

struct SaleLineInput {
    std::string sku;  // SKU or barcode
    int64_t quantity = 1;
    std::optional<int64_t> unit_price;  // the POS's price; the catalogue price when absent
    int64_t discount = 0;
};

struct PaymentInput {
    std::string method;
    int64_t amount = 0;
};

struct SaleInput {
    int64_t store_id = 0;
    std::string terminal;
    std::optional<std::string> receipt_no;
    std::optional<int64_t> member_id;
    std::optional<int64_t> guide_id;
    std::optional<int64_t> sold_at;
    std::vector<SaleLineInput> lines;
    std::vector<PaymentInput> payments;
    std::vector<std::string> coupon_codes;
    int64_t points_redeemed = 0;
};

// Reads a sale body; a quote needs neither terminal nor payments.
Result<SaleInput> ReadSaleInput(http::BodyReader& body, const security::Principal& caller, bool quote);

// Prices the basket without writing: discounts, points cap, points to earn, member's coupons.
Result<nlohmann::json> QuoteSale(http::RequestContext& ctx, const SaleInput& input);
// A sale in two steps: PrepareSale reads the body, loads and prices the basket and checks the
// payments, leaving the result in ctx.prepared (it only reads); CompleteSale writes it and
// returns the sale as JSON. Coupons and points are re-checked by the writes themselves.
Status PrepareSale(http::RequestContext& ctx);
Result<nlohmann::json> CompleteSale(http::RequestContext& ctx);

struct RefundLineInput {
    int64_t line_no = 0;
    int64_t quantity = 0;
};
struct RefundInput {
    std::vector<RefundLineInput> lines;  // empty: everything not yet returned
    std::string reason;
};
Result<RefundInput> ReadRefundInput(http::BodyReader& body);
Result<nlohmann::json> RefundSale(http::RequestContext& ctx, int64_t sale_id, const RefundInput& input);

// A sale with lines, payments, coupons and refunds, if the caller's scope holds its store.
Result<nlohmann::json> LoadSaleJson(http::RequestContext& ctx, int64_t sale_id);

// Moves a merged member's sales, points (ledger, lots, balance), coupons, tier history,
// referrals and purchase totals to the survivor; the survivor keeps the higher tier.
Status MoveMemberActivity(storage::Transaction& tx, int64_t from, int64_t to);

}  // namespace storecrm::sales
