#pragma once
// Coupons 优惠券: templates say what a coupon gives and where it applies; a coupon is one
// template issued to one member under a code that cannot be guessed, and moves from issued to
// used, expired or voided exactly once.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/error.hpp"
#include "sales/pricing.hpp"
#include "storage/database.hpp"

namespace storecrm::loyalty {

struct CouponTemplate {
    int64_t id = 0;
    std::string name;
    std::string kind;  // amount_off | percent_off | gift
    int64_t amount_off = 0;
    int64_t percent_off = 0;
    int64_t max_discount = 0;
    int64_t min_spend = 0;
    std::string gift_sku;
    std::optional<int64_t> valid_from;
    std::optional<int64_t> valid_until;
    int64_t valid_days = 0;
    std::vector<int64_t> store_ids;
    std::vector<int64_t> category_ids;
    int64_t per_member_limit = 0;
    bool stackable = false;
    std::string status = "active";
    int64_t version = 1;
};

inline constexpr const char* kTemplateColumns =
    "id, name, kind, amount_off, percent_off, max_discount, min_spend, gift_sku, valid_from, valid_until, valid_days, "
    "store_ids, category_ids, per_member_limit, stackable, status, version";
CouponTemplate TemplateFromRow(const storage::Row& r);
nlohmann::json TemplateJson(const CouponTemplate& t);
Result<std::optional<CouponTemplate>> LoadTemplate(storage::Transaction& tx, int64_t id);

struct IssueRequest {
    int64_t member_id = 0;
    std::string reason = "manual";  // manual | bulk | birthday | tier | referral | retention
    std::optional<int64_t> issued_by;
    int64_t now = 0;
};
// Issues one coupon; coupon.limit_reached when the member holds the template's limit.
// Returns the coupon id.
Result<int64_t> IssueCoupon(storage::Transaction& tx, const CouponTemplate& tmpl, const IssueRequest& request);

// A member's coupon that a sale wants to use, checked against every rule that does not need
// the basket (the basket rules are in sales::Price). Expands categories to sub-categories.
struct UsableCoupon {
    int64_t coupon_id = 0;
    std::string name;  // the template's
    sales::CouponRule rule;
};
Result<std::vector<UsableCoupon>> CouponsForSale(storage::Transaction& tx, const std::vector<std::string>& codes,
                                                 int64_t member_id, int64_t store_id, int64_t now);
// Marks the coupons used by `sale_id`; a coupon another sale used first is a 409.
Status MarkCouponsUsed(storage::Transaction& tx, const std::vector<UsableCoupon>& coupons, int64_t sale_id, int64_t now);

// Coupons of a member as JSON rows (status "expired" shown for issued ones past their end).
Result<nlohmann::json> MemberCouponsJson(storage::Transaction& tx, int64_t member_id, int64_t now,
                                         const std::string& status_filter);

// The category and every category below it.
Result<std::vector<int64_t>> CategoryWithDescendants(storage::Transaction& tx, const std::vector<int64_t>& roots);

}  // namespace storecrm::loyalty
