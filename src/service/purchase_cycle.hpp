#pragma once
// A member's purchase cycle 购买周期: the median number of days between their purchases,
// from their own history. Only members with at least three purchases (two intervals) have
// one; purchases on the same day count once, as one shopping trip.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "storage/database.hpp"

namespace storecrm::service {

inline constexpr size_t kMinPurchasesForCycle = 3;

struct PurchaseCycle {
    double median_days = 0;
    size_t purchases = 0;  // distinct purchase days
    int64_t last_purchase_at = 0;
    int64_t next_due_at = 0;  // last purchase + the median
};

// `purchase_times` in UTC seconds, any order; days are counted in UTC+`utc_offset_seconds`.
std::optional<PurchaseCycle> EstimatePurchaseCycle(std::vector<int64_t> purchase_times, int64_t utc_offset_seconds = 8 * 3600);

struct CategoryCycle {
    int64_t category_id = 0;
    std::string name;
    size_t days = 0;  // distinct days with a purchase in the category
    std::optional<PurchaseCycle> cycle;
};

struct MemberCycles {
    std::optional<PurchaseCycle> overall;
    size_t overall_days = 0;
    std::vector<CategoryCycle> categories;  // every category bought, most bought first
};

// One line of a member's sale that was not wholly refunded.
struct PurchaseLine {
    int64_t sold_at = 0;
    std::optional<int64_t> category_id;
    std::string category_name;
};

// The member's cycles from their purchase lines, in any order.
MemberCycles CyclesOf(const std::vector<PurchaseLine>& lines);

// The member's cycles from their sales that were not wholly refunded.
Result<MemberCycles> LoadMemberCycles(storage::Transaction& tx, int64_t member_id);

}  // namespace storecrm::service
