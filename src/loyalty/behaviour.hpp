#pragma once
// Behaviour points 行为积分: registering, completing the profile, the daily check-in 签到 and
// the birthday-month gift (tier points and coupon) — each granted at most once per period,
// which the behaviour_grants key enforces even when two requests race.

#include <cstdint>
#include <optional>
#include <string>

#include "common/error.hpp"
#include "members/member.hpp"
#include "storage/database.hpp"

namespace storecrm::loyalty {

// Grants `points` for (kind, period) once; returns the points granted (possibly 0), or
// nullopt when the member already had this grant for the period.
Result<std::optional<int64_t>> GrantBehaviourPoints(storage::Transaction& tx, int64_t member_id, const std::string& kind,
                                     const std::string& period, int64_t points, std::optional<int64_t> operator_id,
                                     int64_t now);

// The member-saved hook: registration points, and profile points once the profile is complete.
Status OnMemberSaved(storage::Transaction& tx, const members::MemberRecord& member, bool created);

// The daily check-in in the member's home-store day; returns the points earned, or nullopt
// when the member already checked in today.
Result<std::optional<int64_t>> CheckIn(storage::Transaction& tx, int64_t member_id, std::optional<int64_t> operator_id, int64_t now);

// The birthday-month gifts of every member whose birthday month it is (in their home store's
// time zone): the tier's birthday points and coupon, once a year. Returns members rewarded.
Result<int64_t> GrantBirthdayGifts(storage::Transaction& tx, int64_t now);

}  // namespace storecrm::loyalty
