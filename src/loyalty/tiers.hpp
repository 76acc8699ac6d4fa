#pragma once
// Membership tiers 会员等级: qualification by spend or purchase count over a rolling window
// (or lifetime), benefits, upgrade at once after a sale, downgrade at a review after a grace
// period. Every change is a tier_changes row with its reason.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/error.hpp"
#include "storage/database.hpp"

namespace storecrm::loyalty {

struct Tier {
    int64_t id = 0;
    std::string code;
    std::string name;
    int64_t rank = 0;
    std::string qualify_by = "spend";  // spend (fen) | purchases (count)
    int64_t window_days = 365;         // 0 = lifetime
    int64_t threshold = 0;
    int64_t discount_pct = 0;
    int64_t points_multiplier_pct = 100;
    int64_t birthday_points = 0;
    std::optional<int64_t> birthday_coupon_template_id;
    std::optional<int64_t> upgrade_coupon_template_id;  // a welcome coupon on reaching the tier
    std::string privileges;
    int64_t grace_days = 30;
    int64_t version = 1;
};

inline constexpr const char* kTierColumns =
    "id, code, name, rank, qualify_by, window_days, threshold, discount_pct, points_multiplier_pct, "
    "birthday_points, birthday_coupon_template_id, privileges, grace_days, version, upgrade_coupon_template_id";
Tier TierFromRow(const storage::Row& r);
nlohmann::json TierJson(const Tier& t);

// All tiers, lowest rank first.
Result<std::vector<Tier>> LoadTiers(storage::Transaction& tx);
Result<std::optional<Tier>> MemberTier(storage::Transaction& tx, int64_t member_id);

// The member's spend (fen, refunds deducted) and purchase count within `window_days` before `now`.
struct Qualification {
    int64_t spend = 0;
    int64_t purchases = 0;
};
Result<Qualification> QualificationOf(storage::Transaction& tx, int64_t member_id, int64_t window_days, int64_t now);

// The highest tier the member qualifies for now (nullopt: none).
Result<std::optional<Tier>> QualifyingTier(storage::Transaction& tx, const std::vector<Tier>& tiers, int64_t member_id,
                                           int64_t now);

// Upgrades at once when a higher tier qualifies (after a sale); returns true on a change.
Result<bool> UpgradeIfQualified(storage::Transaction& tx, int64_t member_id, int64_t now, const std::string& source_type,
                                std::optional<int64_t> source_id);

// The scheduled review: members below their tier get a grace period, then move down.
// Returns the number of members downgraded.
Result<int64_t> ReviewTiers(storage::Transaction& tx, int64_t now);

// Progress to the next tier: {"current", "next", "qualify_by", "value", "threshold", "remaining"}.
Result<nlohmann::json> TierProgress(storage::Transaction& tx, int64_t member_id, int64_t now);

Status RecordTierChange(storage::Transaction& tx, int64_t member_id, std::optional<int64_t> from,
                        std::optional<int64_t> to, const std::string& reason, const std::string& detail,
                        const std::string& source_type, std::optional<int64_t> source_id,
                        std::optional<int64_t> operator_id, int64_t now);

}  // namespace storecrm::loyalty
