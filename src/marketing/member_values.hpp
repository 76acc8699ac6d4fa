#pragma once
// The value groups the seeds name, per member: RFM scores (quintiles over the last 12 months)
// and the named RFM class, the lifecycle stage, and the value × need group (core members, new
// potential, dormant high-value …). Pure rules here; member_values.cpp keeps the table.

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "storage/database.hpp"

namespace storecrm::analytics {
class SalesStore;
}

namespace storecrm::marketing {

// RFM classes of analytics/rfm plus "none" (no purchase in the last 12 months).
const std::vector<std::string>& RfmClassCodes();
// prospect (never bought), new, growing, mature, declining, dormant, lost.
const std::vector<std::string>& LifecycleCodes();
// core, new_potential, dormant_high_value, potential, dormant, regular, prospect.
const std::vector<std::string>& ValueGroupCodes();

// The chain-wide cut points the nightly run found; a single member is scored against them.
struct ValueCuts {
    std::array<double, 4> recency{}, frequency{}, monetary{};
    double lifetime_spend_p80 = 0;  // fen: "high value" among dormant members
};

struct MemberActivity {
    int64_t first_purchase_at = 0;  // 0: never bought
    int64_t last_purchase_at = 0;
    int purchases_365 = 0;          // purchases in the last 365 days (a refund is none)
    int64_t spend_365 = 0;          // net fen in the last 365 days
    int recent_180 = 0;             // purchases in the last 180 days
    int prior_180 = 0;              // purchases 181–365 days ago
    int64_t lifetime_spend = 0;
};

struct MemberValue {
    uint8_t r = 0, f = 0, m = 0;  // 0 when no purchase in the last 365 days
    std::string rfm_class = "none";
    std::string lifecycle = "prospect";
    std::string value_group = "prospect";
};

// Lifecycle: prospect without a purchase; lost after 365 silent days, dormant after 180; new
// within 90 days of the first purchase; then growing / declining when the last 180 days hold
// more / under half the purchases of the 180 before, else mature.
MemberValue ClassifyMember(const MemberActivity& activity, const ValueCuts& cuts, int64_t now);

// Recomputes every member (nightly): cut points from the sales columns, then the rows that
// changed; bumps the audience index epoch. Returns how many rows changed.
Result<int64_t> RecomputeAllValues(storage::Database& db, analytics::SalesStore& sales, int64_t now);
// Recomputes the given members against the stored cut points (after their sales).
Status RecomputeValues(storage::Transaction& tx, const std::vector<int64_t>& member_ids, int64_t now);

Result<ValueCuts> LoadValueCuts(storage::Transaction& tx);

}  // namespace storecrm::marketing
