#include "loyalty/tiers.hpp"

#include "common/clock.hpp"
#include "loyalty/coupons.hpp"
#include "jobs/domain_events.hpp"

#include <map>

#include <nlohmann/json.hpp>

namespace storecrm::loyalty {

Tier TierFromRow(const storage::Row& r) {
    Tier t;
    t.id = r.Int(0);
    t.code = r.Text(1);
    t.name = r.Text(2);
    t.rank = r.Int(3);
    t.qualify_by = r.Text(4);
    t.window_days = r.Int(5);
    t.threshold = r.Int(6);
    t.discount_pct = r.Int(7);
    t.points_multiplier_pct = r.Int(8);
    t.birthday_points = r.Int(9);
    t.birthday_coupon_template_id = r.OptInt(10);
    t.privileges = r.Text(11);
    t.grace_days = r.Int(12);
    t.version = r.Int(13);
    t.upgrade_coupon_template_id = r.OptInt(14);
    return t;
}

nlohmann::json TierJson(const Tier& t) {
    return {{"id", t.id},
            {"code", t.code},
            {"name", t.name},
            {"rank", t.rank},
            {"qualify_by", t.qualify_by},
            {"window_days", t.window_days},
            {"threshold", t.threshold},
            {"discount_pct", t.discount_pct},
            {"points_multiplier_pct", t.points_multiplier_pct},
            {"birthday_points", t.birthday_points},
            {"birthday_coupon_template_id",
             t.birthday_coupon_template_id ? nlohmann::json(*t.birthday_coupon_template_id) : nlohmann::json()},
            {"upgrade_coupon_template_id",
             t.upgrade_coupon_template_id ? nlohmann::json(*t.upgrade_coupon_template_id) : nlohmann::json()},
            {"privileges", t.privileges},
            {"grace_days", t.grace_days},
            {"version", t.version}};
}

Result<std::vector<Tier>> LoadTiers(storage::Transaction& tx) {
    auto rows = tx.Query(std::string("SELECT ") + kTierColumns + " FROM tiers ORDER BY rank");
    if (!rows.ok()) return rows.take_error();
    std::vector<Tier> tiers;
    for (const auto& r : *rows) tiers.push_back(TierFromRow(r));
    return tiers;
}

Result<std::optional<Tier>> MemberTier(storage::Transaction& tx, int64_t member_id) {
    auto row = tx.QueryOne(std::string("SELECT ") + kTierColumns +
                               " FROM tiers WHERE id = (SELECT tier_id FROM members WHERE id = ?)",
                           {member_id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return std::optional<Tier>();
    return std::optional<Tier>(TierFromRow(**row));
}

Result<Qualification> QualificationOf(storage::Transaction& tx, int64_t member_id, int64_t window_days, int64_t now) {
    const int64_t since = window_days == 0 ? 0 : now - window_days * 86400;
    auto row = tx.QueryOne(
        "SELECT COALESCE(SUM(total - refunded_amount), 0), COUNT(*) FROM sales "
        "WHERE member_id = ? AND sold_at >= ? AND status <> 'refunded'",
        {member_id, since});
    if (!row.ok()) return row.take_error();
    return Qualification{(*row)->Int(0), (*row)->Int(1)};
}

Result<std::optional<Tier>> QualifyingTier(storage::Transaction& tx, const std::vector<Tier>& tiers, int64_t member_id,
                                           int64_t now) {
    std::optional<Tier> best;
    std::map<int64_t, Qualification> by_window;  // tiers often share a window: one query each
    for (const auto& tier : tiers) {
        auto it = by_window.find(tier.window_days);
        if (it == by_window.end()) {
            auto q = QualificationOf(tx, member_id, tier.window_days, now);
            if (!q.ok()) return q.take_error();
            it = by_window.emplace(tier.window_days, *q).first;
        }
        const int64_t value = tier.qualify_by == "purchases" ? it->second.purchases : it->second.spend;
        if (value >= tier.threshold) best = tier;  // tiers come lowest rank first
    }
    return best;
}

Status RecordTierChange(storage::Transaction& tx, int64_t member_id, std::optional<int64_t> from,
                        std::optional<int64_t> to, const std::string& reason, const std::string& detail,
                        const std::string& source_type, std::optional<int64_t> source_id,
                        std::optional<int64_t> operator_id, int64_t now) {
    STORECRM_TRY(tx.Exec("UPDATE members SET tier_id = ?, tier_review_due_at = NULL WHERE id = ?", {to, member_id}));
    STORECRM_TRY(tx.Exec(
        "INSERT INTO tier_changes (member_id, from_tier_id, to_tier_id, reason, detail, source_type, source_id, "
        "operator_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {member_id, from, to, reason, detail, source_type, source_id, operator_id, now}));
    return jobs::PublishEvent(tx, "tier.changed", member_id,
                              {{"member_id", member_id}, {"from_tier_id", from ? nlohmann::json(*from) : nlohmann::json(nullptr)},
                               {"to_tier_id", to ? nlohmann::json(*to) : nlohmann::json(nullptr)}, {"reason", reason}},
                              now);
}

Result<bool> UpgradeIfQualified(storage::Transaction& tx, int64_t member_id, int64_t now, const std::string& source_type,
                                std::optional<int64_t> source_id) {
    auto tiers = LoadTiers(tx);
    if (!tiers.ok()) return tiers.take_error();
    if (tiers->empty()) return false;
    auto current = MemberTier(tx, member_id);
    if (!current.ok()) return current.take_error();
    auto best = QualifyingTier(tx, *tiers, member_id, now);
    if (!best.ok()) return best.take_error();
    if (!best->has_value()) return false;
    if (current->has_value() && (*current)->rank >= (**best).rank) {
        // Qualifying again for the tier held ends any pending downgrade.
        if ((*current)->rank == (**best).rank) {
            STORECRM_TRY(tx.Exec("UPDATE members SET tier_review_due_at = NULL WHERE id = ? AND tier_review_due_at IS NOT NULL",
                                 {member_id}));
        }
        return false;
    }
    STORECRM_TRY(RecordTierChange(tx, member_id, current->has_value() ? std::optional<int64_t>((*current)->id) : std::nullopt,
                                  (**best).id, "upgrade", (**best).qualify_by, source_type, source_id, std::nullopt, now));
    if ((**best).upgrade_coupon_template_id) {
        auto tmpl = LoadTemplate(tx, *(**best).upgrade_coupon_template_id);
        if (!tmpl.ok()) return tmpl.take_error();
        if (tmpl->has_value() && (*tmpl)->status == "active") {
            auto coupon = IssueCoupon(tx, **tmpl, {.member_id = member_id, .reason = "tier", .now = now});
            // A member at the template's limit simply gets no second welcome coupon.
            if (!coupon.ok() && coupon.error().code != ErrorCode::kValidation) return coupon.take_error();
        }
    }
    return true;
}

Result<int64_t> ReviewTiers(storage::Transaction& tx, int64_t now) {
    auto tiers = LoadTiers(tx);
    if (!tiers.ok()) return tiers.take_error();
    std::map<int64_t, Tier> by_id;
    for (const auto& t : *tiers) by_id[t.id] = t;
    auto members = tx.Query(
        "SELECT id, tier_id, tier_review_due_at FROM members WHERE tier_id IS NOT NULL AND status = 'active' ORDER BY id");
    if (!members.ok()) return members.take_error();
    int64_t downgraded = 0;
    for (const auto& m : *members) {
        const int64_t member_id = m.Int(0);
        auto held = by_id.find(m.Int(1));
        auto best = QualifyingTier(tx, *tiers, member_id, now);
        if (!best.ok()) return best.take_error();
        const int64_t best_rank = best->has_value() ? (**best).rank : INT64_MIN;
        if (held == by_id.end() || best_rank >= held->second.rank) {
            if (!m.IsNull(2)) STORECRM_TRY(tx.Exec("UPDATE members SET tier_review_due_at = NULL WHERE id = ?", {member_id}));
            continue;
        }
        if (m.IsNull(2)) {
            STORECRM_TRY(tx.Exec("UPDATE members SET tier_review_due_at = ? WHERE id = ?",
                                 {now + held->second.grace_days * 86400, member_id}));
            continue;
        }
        if (m.Int(2) > now) continue;  // still in the grace period
        STORECRM_TRY(RecordTierChange(tx, member_id, held->second.id,
                                      best->has_value() ? std::optional<int64_t>((**best).id) : std::nullopt, "downgrade",
                                      "review", "review", std::nullopt, std::nullopt, now));
        ++downgraded;
    }
    return downgraded;
}

Result<nlohmann::json> TierProgress(storage::Transaction& tx, int64_t member_id, int64_t now) {
    auto tiers = LoadTiers(tx);
    if (!tiers.ok()) return tiers.take_error();
    auto current = MemberTier(tx, member_id);
    if (!current.ok()) return current.take_error();
    nlohmann::json out = {{"current", current->has_value() ? TierJson(**current) : nlohmann::json()},
                          {"next", nullptr}};
    const int64_t held_rank = current->has_value() ? (*current)->rank : INT64_MIN;
    for (const auto& tier : *tiers) {
        if (tier.rank <= held_rank) continue;
        auto q = QualificationOf(tx, member_id, tier.window_days, now);
        if (!q.ok()) return q.take_error();
        const int64_t value = tier.qualify_by == "purchases" ? q->purchases : q->spend;
        out["next"] = TierJson(tier);
        out["qualify_by"] = tier.qualify_by;
        out["value"] = value;
        out["threshold"] = tier.threshold;
        out["remaining"] = std::max<int64_t>(0, tier.threshold - value);
        break;
    }
    auto due = tx.QueryOne("SELECT tier_review_due_at FROM members WHERE id = ?", {member_id});
    if (!due.ok()) return due.take_error();
    out["downgrade_due_at"] = due->has_value() && !(*due)->IsNull(0) ? nlohmann::json(FormatIsoUtc((*due)->Int(0))) : nlohmann::json();
    return out;
}

}  // namespace storecrm::loyalty
