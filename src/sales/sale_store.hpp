#pragma once
// All SQL of sales and refunds: rows in, rows out, and the JSON of a whole sale.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "catalog/products.hpp"
#include "common/error.hpp"
#include "sales/pricing.hpp"
#include "storage/database.hpp"

namespace storecrm::sales {

struct SaleRow {
    int64_t store_id = 0;
    std::string terminal;
    std::string receipt_no;
    std::optional<int64_t> member_id;
    std::optional<int64_t> cashier_id;
    std::optional<int64_t> guide_id;
    int64_t sold_at = 0;
    std::optional<int64_t> created_by_token;
};

Result<int64_t> InsertSale(storage::Transaction& tx, const SaleRow& sale, const PricingResult& priced);
Status InsertSaleLine(storage::Transaction& tx, int64_t sale_id, int64_t line_no, const catalog::Product& product,
                      const PriceLine& input, const PricedLine& priced);
Status InsertPayment(storage::Transaction& tx, int64_t sale_id, const std::string& method, int64_t amount);
// Adds the sale to the member's totals; returns the member's purchase count after it.
Result<int64_t> RecordPurchase(storage::Transaction& tx, int64_t member_id, int64_t amount, int64_t at);

struct SaleHeader {
    int64_t id = 0;
    int64_t store_id = 0;
    std::optional<int64_t> member_id;
    std::string status;
};
Result<std::optional<SaleHeader>> LoadSaleHeader(storage::Transaction& tx, int64_t sale_id);

struct SaleLineRow {
    int64_t id = 0;
    int64_t line_no = 0;
    int64_t product_id = 0;
    int64_t quantity = 0;
    int64_t refunded_quantity = 0;
    PricedLine priced;
};
Result<std::vector<SaleLineRow>> LoadSaleLines(storage::Transaction& tx, int64_t sale_id);

Result<int64_t> InsertRefund(storage::Transaction& tx, const SaleHeader& sale, const std::string& reason,
                             std::optional<int64_t> operator_id, int64_t now);
Status InsertRefundLine(storage::Transaction& tx, int64_t refund_id, int64_t sale_line_id, int64_t quantity,
                        int64_t amount);
// Fills in the refund's totals and moves the sale's refunded amount, lines and status.
Status FinishRefund(storage::Transaction& tx, int64_t refund_id, int64_t sale_id, int64_t amount, int64_t reversed,
                    int64_t restored, int64_t shortfall_value, bool all_returned);
Status RecordRefundOnMember(storage::Transaction& tx, int64_t member_id, int64_t amount, bool whole_sale);
// A wholly refunded sale gives its coupons back (or marks them expired if their time is over).
Status ReturnCouponsOfSale(storage::Transaction& tx, int64_t sale_id, int64_t now);
// A wholly refunded first sale takes back the referrer's reward.
Status RevokeReferralOfSale(storage::Transaction& tx, int64_t sale_id, int64_t store_id, int64_t now);

// A whole sale as callers see it. A checkout fills one from what it just wrote; GET loads one;
// both answer through SaleViewJson, so the two cannot differ.
struct SaleView {
    struct Store {
        std::string name, code, address, timezone;
    };
    struct Line {
        int64_t line_no = 0, product_id = 0;
        std::string sku, name;
        int64_t quantity = 0, unit_price = 0, refunded_quantity = 0;
        PricedLine priced;
    };
    struct Payment {
        std::string method;
        int64_t amount = 0;
    };
    struct Coupon {
        std::string code;
        int64_t discount = 0;
        std::string name;
    };
    struct Refund {
        int64_t id = 0, amount = 0, points_reversed = 0, points_restored = 0, points_shortfall_value = 0;
        std::string reason;
        int64_t created_at = 0;
    };
    int64_t id = 0, store_id = 0;
    std::string terminal, receipt_no;
    std::optional<int64_t> member_id, cashier_id, guide_id;
    int64_t sold_at = 0;
    int64_t subtotal = 0, line_discount = 0, tier_discount = 0, coupon_discount = 0, points_redeemed = 0,
            points_value = 0, total = 0, points_earned = 0, refunded_amount = 0;
    std::string status = "completed";
    Store store;
    std::string cashier_name;
    std::vector<Line> lines;
    std::vector<Payment> payments;
    std::vector<Coupon> coupons;
    std::vector<Refund> refunds;
};

Result<SaleView> LoadSaleView(storage::Transaction& tx, int64_t sale_id);
// The JSON of a sale, with the member's summary as it is now (phone masked).
Result<nlohmann::json> SaleViewJson(storage::Transaction& tx, const SaleView& sale);
// LoadSaleView + SaleViewJson.
Result<nlohmann::json> SaleJson(storage::Transaction& tx, int64_t sale_id);
// Columns of the sale list (no lines).
inline constexpr const char* kSaleListColumns =
    "s.id, s.store_id, s.terminal, s.receipt_no, s.member_id, s.sold_at, s.subtotal, s.total, s.points_earned, "
    "s.points_redeemed, s.refunded_amount, s.status, st.name, m.name, m.member_no";
nlohmann::json SaleListJson(const storage::Row& r);

}  // namespace storecrm::sales
