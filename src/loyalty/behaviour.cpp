#include "loyalty/behaviour.hpp"

#include "loyalty/coupons.hpp"
#include "loyalty/local_time.hpp"
#include "loyalty/points_ledger.hpp"
#include "loyalty/settings.hpp"

namespace storecrm::loyalty {
namespace {

Result<std::string> HomeTimezone(storage::Transaction& tx, int64_t member_id) {
    auto row = tx.QueryOne("SELECT s.timezone FROM members m JOIN stores s ON s.id = m.home_store_id WHERE m.id = ?",
                           {member_id});
    if (!row.ok()) return row.take_error();
    return row->has_value() ? (**row).Text(0) : std::string("Asia/Shanghai");
}

bool ProfileComplete(const members::MemberRecord& m) {
    return !m.name.empty() && m.gender != "unknown" && !m.birthday.empty() && !m.email.empty() && !m.address.empty();
}

}  // namespace

Result<std::optional<int64_t>> GrantBehaviourPoints(storage::Transaction& tx, int64_t member_id, const std::string& kind,
                                     const std::string& period, int64_t points, std::optional<int64_t> operator_id,
                                     int64_t now) {
    auto claimed = tx.Exec(
        "INSERT INTO behaviour_grants (member_id, kind, period, points, created_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (member_id, kind, period) DO NOTHING",
        {member_id, kind, period, points, now});
    if (!claimed.ok()) return claimed.take_error();
    if (claimed->changes == 0) return std::optional<int64_t>();
    if (points <= 0) return std::optional<int64_t>(0);
    auto settings = LoadSettings(tx);
    if (!settings.ok()) return settings.take_error();
    auto tz = HomeTimezone(tx, member_id);
    if (!tz.ok()) return tz.take_error();
    STORECRM_TRY(LockMember(tx, member_id));
    STORECRM_TRY(AddPoints(tx,
                           {.member_id = member_id, .points = points, .kind = "behaviour", .reason = "behaviour." + kind,
                            .source_type = "behaviour", .operator_id = operator_id, .now = now},
                           PointsExpiry(settings->expiry, now, *tz)));
    return std::optional<int64_t>(points);
}

Status OnMemberSaved(storage::Transaction& tx, const members::MemberRecord& member, bool created) {
    if (member.status != "active") return Ok();
    auto settings = LoadSettings(tx);
    if (!settings.ok()) return settings.take_error();
    const int64_t now = member.updated_at;
    if (created && settings->registration_points > 0) {
        STORECRM_TRY(GrantBehaviourPoints(tx, member.id, "registration", "once", settings->registration_points,
                                          member.updated_by, now));
    }
    if (settings->profile_points > 0 && ProfileComplete(member)) {
        STORECRM_TRY(GrantBehaviourPoints(tx, member.id, "profile", "once", settings->profile_points, member.updated_by, now));
    }
    return Ok();
}

Result<std::optional<int64_t>> CheckIn(storage::Transaction& tx, int64_t member_id, std::optional<int64_t> operator_id,
                                       int64_t now) {
    auto settings = LoadSettings(tx);
    if (!settings.ok()) return settings.take_error();
    auto tz = HomeTimezone(tx, member_id);
    if (!tz.ok()) return tz.take_error();
    // Recorded even when it earns nothing, so "checked in today" holds either way.
    return GrantBehaviourPoints(tx, member_id, "checkin", LocalDate(now, *tz), settings->checkin_points, operator_id, now);
}

Result<int64_t> GrantBirthdayGifts(storage::Transaction& tx, int64_t now) {
    auto members = tx.Query(
        "SELECT m.id, s.timezone, m.birth_month, t.birthday_points, t.birthday_coupon_template_id FROM members m "
        "JOIN stores s ON s.id = m.home_store_id JOIN tiers t ON t.id = m.tier_id "
        "WHERE m.status = 'active' AND m.birth_month IS NOT NULL "
        "AND (t.birthday_points > 0 OR t.birthday_coupon_template_id IS NOT NULL)");
    if (!members.ok()) return members.take_error();
    int64_t rewarded = 0;
    for (const auto& m : *members) {
        const std::string today = LocalDate(now, m.Text(1));  // YYYY-MM-DD in the member's store
        if (today.size() != 10 || std::stoi(today.substr(5, 2)) != m.Int(2)) continue;
        const std::string year = today.substr(0, 4);
        auto points = GrantBehaviourPoints(tx, m.Int(0), "birthday", year, m.Int(3), std::nullopt, now);
        if (!points.ok()) return points.take_error();
        if (!points->has_value()) continue;  // granted in an earlier run this year
        ++rewarded;
        if (m.IsNull(4)) continue;
        auto tmpl = LoadTemplate(tx, m.Int(4));
        if (!tmpl.ok()) return tmpl.take_error();
        if (!tmpl->has_value() || (*tmpl)->status != "active") continue;
        auto coupon = IssueCoupon(tx, **tmpl, {.member_id = m.Int(0), .reason = "birthday", .now = now});
        if (!coupon.ok()) {
            if (coupon.error().code == ErrorCode::kValidation) continue;  // at the template's limit
            return coupon.take_error();
        }
        STORECRM_TRY(tx.Exec("UPDATE behaviour_grants SET coupon_id = ? WHERE member_id = ? AND kind = 'birthday' AND period = ?",
                             {*coupon, m.Int(0), year}));
    }
    return rewarded;
}

}  // namespace storecrm::loyalty
