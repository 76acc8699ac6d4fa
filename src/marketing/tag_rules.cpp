#include "marketing/tag_rules.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "marketing/audience.hpp"
#include "marketing/member_values.hpp"
#include "members/audience_epoch.hpp"

namespace storecrm::marketing {
namespace {

// Up to this many changes a rule writes each member's history (the index follows them);
// beyond it, it bumps the audience epoch instead.
constexpr size_t kHistoryLimit = 500;
constexpr int64_t kSettleSeconds = 5;

struct RuleChange {
    int64_t rule_id = 0, tag_id = 0;
    std::string tag_name;
    uint64_t members = 0;
    std::vector<uint32_t> add, remove;
};

}  // namespace

Result<TagRuleOutcome> ApplyTagRules(Services& services, int64_t now, const std::unordered_set<uint32_t>* only,
                                     int64_t rule_id) {
    std::vector<RuleChange> changes;
    {
        auto tx = services.db->Begin(storage::TxMode::kRead);
        if (!tx.ok()) return tx.take_error();
        storage::Params params;
        std::string sql = "SELECT r.id, r.tag_id, t.name, r.rules FROM tag_rules r JOIN tags t ON t.id = r.tag_id WHERE ";
        if (rule_id > 0) {
            sql += "r.id = ?";
            params.emplace_back(rule_id);
        } else {
            sql += "r.enabled = 1";
        }
        auto rules = (*tx)->Query(sql + " ORDER BY r.id", params);
        if (!rules.ok()) return rules.take_error();
        for (const auto& r : *rules) {
            auto tree = StoredRules(r.Text(3));
            if (!tree.ok()) return tree.take_error();
            auto set = EvaluateAudience(services, *tree, AudienceScope{.now = now});
            if (!set.ok()) return set.take_error();
            auto held = (*tx)->Query("SELECT member_id FROM member_tags WHERE tag_id = ? ORDER BY member_id", {r.Int(1)});
            if (!held.ok()) return held.take_error();
            RuleChange change{r.Int(0), r.Int(1), r.Text(2), set->size(), {}, {}};
            std::unordered_set<uint32_t> holders;
            for (const auto& h : *held) {
                const auto m = static_cast<uint32_t>(h.Int(0));
                holders.insert(m);
                if (!set->Contains(m) && (!only || only->count(m))) change.remove.push_back(m);
            }
            if (only) {
                for (uint32_t m : *only) {
                    if (set->Contains(m) && !holders.count(m)) change.add.push_back(m);
                }
            } else {
                for (uint32_t m : set->Ids()) {
                    if (!holders.count(m)) change.add.push_back(m);
                }
            }
            changes.push_back(std::move(change));
        }
    }
    TagRuleOutcome outcome;
    auto tx = services.db->Begin(storage::TxMode::kWrite);
    if (!tx.ok()) return tx.take_error();
    bool bulk = false;
    for (const auto& c : changes) {
        const bool history = c.add.size() + c.remove.size() <= kHistoryLimit;
        bulk |= !history;
        for (uint32_t m : c.add) {
            STORECRM_TRY((*tx)->Defer("INSERT INTO member_tags (member_id, tag_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                                      {static_cast<int64_t>(m), c.tag_id, now}));
            if (history) {
                STORECRM_TRY((*tx)->Defer(
                    "INSERT INTO member_history (member_id, at, actor_name, field, old_value, new_value) VALUES (?, ?, ?, "
                    "'tags', '', ?)",
                    {static_cast<int64_t>(m), now, "tag rule", "+" + c.tag_name}));
            }
        }
        for (uint32_t m : c.remove) {
            STORECRM_TRY((*tx)->Defer("DELETE FROM member_tags WHERE member_id = ? AND tag_id = ?", {static_cast<int64_t>(m), c.tag_id}));
            if (history) {
                STORECRM_TRY((*tx)->Defer(
                    "INSERT INTO member_history (member_id, at, actor_name, field, old_value, new_value) VALUES (?, ?, ?, "
                    "'tags', ?, '')",
                    {static_cast<int64_t>(m), now, "tag rule", "-" + c.tag_name}));
            }
        }
        if (!only) {
            STORECRM_TRY((*tx)->Defer("UPDATE tag_rules SET last_run_at = ?, last_members = ? WHERE id = ?",
                                      {now, static_cast<int64_t>(c.members), c.rule_id}));
        }
        outcome.rules += 1;
        outcome.added += static_cast<int64_t>(c.add.size());
        outcome.removed += static_cast<int64_t>(c.remove.size());
    }
    if (bulk) STORECRM_TRY(members::BumpAudienceEpoch(**tx));
    STORECRM_TRY((*tx)->Commit());
    return outcome;
}

Result<int64_t> FollowSales(Services& services, int64_t now) {
    const int64_t settled = services.db->dialect() == storage::Dialect::kPostgres ? now - kSettleSeconds : INT64_MAX;
    std::vector<int64_t> members;
    int64_t last_sale = 0;
    {
        auto tx = services.db->Begin(storage::TxMode::kRead);
        if (!tx.ok()) return tx.take_error();
        auto mark = (*tx)->QueryOne("SELECT value FROM sequences WHERE name = 'marketing.after_sales'");
        if (!mark.ok()) return mark.take_error();
        const int64_t after = mark->has_value() ? (*mark)->Int(0) : 0;
        // Sales and the sales refunded since the watermark (a refund changes its member's spend).
        auto rows = (*tx)->Query(
            "SELECT id, member_id, created_at FROM sales WHERE id > ? ORDER BY id LIMIT 20000", {after});
        if (!rows.ok()) return rows.take_error();
        last_sale = after;
        std::unordered_set<int64_t> seen;
        for (const auto& r : *rows) {
            if (r.Int(2) >= settled) break;
            last_sale = r.Int(0);
            if (!r.IsNull(1) && seen.insert(r.Int(1)).second) members.push_back(r.Int(1));
        }
        auto refunded = (*tx)->Query(
            "SELECT DISTINCT s.member_id FROM refunds f JOIN sales s ON s.id = f.sale_id WHERE f.created_at >= ? AND "
            "s.member_id IS NOT NULL",
            {now - 120});
        if (!refunded.ok()) return refunded.take_error();
        for (const auto& r : *refunded) {
            if (seen.insert(r.Int(0)).second) members.push_back(r.Int(0));
        }
    }
    {
        auto tx = services.db->Begin(storage::TxMode::kWrite);
        if (!tx.ok()) return tx.take_error();
        STORECRM_TRY(RecomputeValues(**tx, members, now));
        STORECRM_TRY((*tx)->Exec("UPDATE sequences SET value = ? WHERE name = 'marketing.after_sales' AND value < ?",
                                 {last_sale, last_sale}));
        STORECRM_TRY((*tx)->Commit());
    }
    if (!members.empty()) {
        std::unordered_set<uint32_t> only;
        for (int64_t m : members) only.insert(static_cast<uint32_t>(m));
        auto applied = ApplyTagRules(services, now, &only);
        if (!applied.ok()) return applied.take_error();
    }
    return static_cast<int64_t>(members.size());
}

}  // namespace storecrm::marketing
