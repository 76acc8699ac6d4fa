#include "marketing/member_values.hpp"

#include <algorithm>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "analytics/rfm.hpp"
#include "analytics/sales_columns.hpp"
#include "members/audience_epoch.hpp"
#include "members/minors.hpp"

namespace storecrm::marketing {
namespace {

using nlohmann::json;

constexpr int64_t kDay = 86400;
constexpr const char* kCutsKey = "value_cuts";

uint8_t ScoreDown(double value, const std::array<double, 4>& cuts) {  // lower is better
    int s = 5;
    for (double c : cuts) s -= value > c ? 1 : 0;
    return static_cast<uint8_t>(std::max(s, 1));
}
uint8_t ScoreUp(double value, const std::array<double, 4>& cuts) {
    int s = 1;
    for (double c : cuts) s += value > c ? 1 : 0;
    return static_cast<uint8_t>(std::min(s, 5));
}

json CutsJson(const ValueCuts& c) {
    return {{"recency", c.recency}, {"frequency", c.frequency}, {"monetary", c.monetary},
            {"lifetime_spend_p80", c.lifetime_spend_p80}};
}

Status SaveCuts(storage::Transaction& tx, const ValueCuts& cuts) {
    return tx.Exec("INSERT INTO marketing_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = "
                   "excluded.value",
                   {kCutsKey, CutsJson(cuts).dump()})
        .ok()
        ? Ok()
        : Status(Error::Internal("value cuts not saved"));
}

Status Upsert(storage::Transaction& tx, int64_t member_id, const MemberValue& v, int64_t now) {
    return tx.Defer(
        "INSERT INTO member_values (member_id, r, f, m, rfm_class, lifecycle, value_group, updated_at) VALUES (?, ?, ?, "
        "?, ?, ?, ?, ?) ON CONFLICT (member_id) DO UPDATE SET r = excluded.r, f = excluded.f, m = excluded.m, "
        "rfm_class = excluded.rfm_class, lifecycle = excluded.lifecycle, value_group = excluded.value_group, "
        "updated_at = excluded.updated_at",
        {member_id, static_cast<int64_t>(v.r), static_cast<int64_t>(v.f), static_cast<int64_t>(v.m), v.rfm_class,
         v.lifecycle, v.value_group, now});
}

}  // namespace

const std::vector<std::string>& RfmClassCodes() {
    static const std::vector<std::string> codes = [] {
        auto c = analytics::RfmClasses();
        c.push_back("none");
        return c;
    }();
    return codes;
}

const std::vector<std::string>& LifecycleCodes() {
    static const std::vector<std::string> codes = {"prospect", "new", "growing", "mature", "declining", "dormant", "lost"};
    return codes;
}

const std::vector<std::string>& ValueGroupCodes() {
    static const std::vector<std::string> codes = {"core",    "new_potential", "dormant_high_value", "potential",
                                                   "dormant", "regular",       "prospect"};
    return codes;
}

MemberValue ClassifyMember(const MemberActivity& a, const ValueCuts& cuts, int64_t now) {
    MemberValue v;
    if (a.first_purchase_at == 0) return v;
    const int64_t silent_days = (now - a.last_purchase_at) / kDay;
    if (a.purchases_365 > 0) {
        v.r = ScoreDown(static_cast<double>(silent_days), cuts.recency);
        v.f = ScoreUp(a.purchases_365, cuts.frequency);
        v.m = ScoreUp(static_cast<double>(a.spend_365), cuts.monetary);
        v.rfm_class = analytics::RfmClass(v.r, v.f);
    }
    if (silent_days > 365) v.lifecycle = "lost";
    else if (silent_days > 180) v.lifecycle = "dormant";
    else if (now - a.first_purchase_at <= 90 * kDay) v.lifecycle = "new";
    else if (a.recent_180 > a.prior_180) v.lifecycle = "growing";
    else if (a.recent_180 * 2 < a.prior_180) v.lifecycle = "declining";
    else v.lifecycle = "mature";

    const bool high_value = static_cast<double>(a.lifetime_spend) >= cuts.lifetime_spend_p80 && a.lifetime_spend > 0;
    if (v.lifecycle == "dormant" || v.lifecycle == "lost") v.value_group = high_value ? "dormant_high_value" : "dormant";
    else if (v.lifecycle == "new") v.value_group = v.m >= 3 ? "new_potential" : "regular";
    else if (v.r >= 3 && v.m >= 4) v.value_group = "core";
    else if (v.r >= 3 && v.f <= 2) v.value_group = "potential";
    else v.value_group = "regular";
    return v;
}

Result<ValueCuts> LoadValueCuts(storage::Transaction& tx) {
    auto row = tx.QueryOne("SELECT value FROM marketing_settings WHERE key = ?", {kCutsKey});
    if (!row.ok()) return row.take_error();
    ValueCuts cuts;
    if (!row->has_value()) return cuts;
    auto j = json::parse((*row)->Text(0), nullptr, false);
    if (!j.is_object()) return cuts;
    for (int i = 0; i < 4; ++i) {
        cuts.recency[i] = j["recency"][i].get<double>();
        cuts.frequency[i] = j["frequency"][i].get<double>();
        cuts.monetary[i] = j["monetary"][i].get<double>();
    }
    cuts.lifetime_spend_p80 = j.value("lifetime_spend_p80", 0.0);
    return cuts;
}

Status RecomputeValues(storage::Transaction& tx, const std::vector<int64_t>& member_ids, int64_t now) {
    auto cuts = LoadValueCuts(tx);
    if (!cuts.ok()) return cuts.take_error();
    for (int64_t id : member_ids) {
        // Refunds lower the spend but are no visit, as in the RFM report.
        auto row = tx.QueryOne(
            "SELECT m.first_purchase_at, m.last_purchase_at, m.total_spend, "
            "(SELECT COUNT(*) FROM sales s WHERE s.member_id = m.id AND s.sold_at >= ?), "
            "(SELECT COALESCE(SUM(s.total - s.refunded_amount), 0) FROM sales s WHERE s.member_id = m.id AND s.sold_at >= ?), "
            "(SELECT COUNT(*) FROM sales s WHERE s.member_id = m.id AND s.sold_at >= ?), "
            "COALESCE(m.birth_year, 0), COALESCE(m.birth_month, 0) "
            "FROM members m WHERE m.id = ? AND m.status = 'active'",
            {now - 365 * kDay, now - 365 * kDay, now - 180 * kDay, id});
        if (!row.ok()) return row.take_error();
        if (!row->has_value()) continue;
        const auto& r = **row;
        // No profile of a child: a minor has no value group.
        if (members::IsMinor(static_cast<int>(r.Int(6)), static_cast<int>(r.Int(7)), now)) {
            STORECRM_TRY(tx.Exec("DELETE FROM member_values WHERE member_id = ?", {id}));
            continue;
        }
        MemberActivity a{.first_purchase_at = r.OptInt(0).value_or(0), .last_purchase_at = r.OptInt(1).value_or(0),
                         .purchases_365 = static_cast<int>(r.Int(3)), .spend_365 = r.Int(4),
                         .recent_180 = static_cast<int>(r.Int(5)), .prior_180 = static_cast<int>(r.Int(3) - r.Int(5)),
                         .lifetime_spend = r.Int(2)};
        STORECRM_TRY(Upsert(tx, id, ClassifyMember(a, *cuts, now), now));
    }
    return Ok();
}

Result<int64_t> RecomputeAllValues(storage::Database& db, analytics::SalesStore& sales, int64_t now) {
    STORECRM_TRY(sales.CatchUp(db));
    const uint16_t today = analytics::DayOf(now);
    // Per member from the columns: purchases and spend in the last 365 days, purchases in the
    // last 180 — one pass over the receipts.
    struct Window {
        int purchases_365 = 0, recent_180 = 0;
        int64_t spend_365 = 0;
    };
    ValueCuts cuts;
    std::unordered_map<uint32_t, Window> windows;
    sales.Read([&](const analytics::SalesColumns& c) {
        const uint16_t from = today >= 364 ? today - 364 : 0;
        auto rfm = analytics::ComputeRfm(c, {from, today, {}});
        cuts.recency = rfm.recency_cuts;
        cuts.frequency = rfm.frequency_cuts;
        cuts.monetary = rfm.monetary_cuts;
        windows.reserve(rfm.members.size());
        for (size_t i = 0; i < c.sales(); ++i) {
            const uint32_t m = c.sale_member[i];
            const uint16_t day = c.sale_day[i];
            if (m == 0 || day < from || day > today) continue;
            auto& w = windows[m];
            for (uint32_t l = c.sale_first_line[i], end = c.LineEnd(i); l < end; ++l) w.spend_365 += c.line_amount[l];
            if (c.sale_refund[i]) continue;
            w.purchases_365 += 1;
            if (day + 180 > today) w.recent_180 += 1;
        }
        return 0;
    });

    // Read first, then write the changed rows in short transactions: a nightly run over a
    // million members must not hold the write lock while tills are ringing up sales.
    auto tx = db.Begin(storage::TxMode::kRead);
    if (!tx.ok()) return tx.take_error();
    auto spends = (*tx)->Query("SELECT total_spend FROM members WHERE status = 'active' AND total_spend > 0");
    if (!spends.ok()) return spends.take_error();
    if (!spends->empty()) {
        std::vector<int64_t> v;
        v.reserve(spends->size());
        for (const auto& r : *spends) v.push_back(r.Int(0));
        std::nth_element(v.begin(), v.begin() + static_cast<long>(v.size() * 8 / 10), v.end());
        cuts.lifetime_spend_p80 = static_cast<double>(v[v.size() * 8 / 10]);
    }
    std::unordered_map<int64_t, std::string> current;
    auto existing = (*tx)->Query("SELECT member_id, r, f, m, rfm_class, lifecycle, value_group FROM member_values");
    if (!existing.ok()) return existing.take_error();
    for (const auto& r : *existing) {
        current[r.Int(0)] = std::to_string(r.Int(1)) + r.Text(4) + std::to_string(r.Int(2)) + r.Text(5) +
                            std::to_string(r.Int(3)) + r.Text(6);
    }
    auto members = (*tx)->Query(
        "SELECT id, first_purchase_at, last_purchase_at, total_spend, COALESCE(birth_year, 0), COALESCE(birth_month, 0) "
        "FROM members WHERE status = 'active' ORDER BY id");
    if (!members.ok()) return members.take_error();
    (*tx).reset();
    std::vector<std::pair<int64_t, MemberValue>> changes;
    std::vector<int64_t> minors_with_values;
    for (const auto& r : *members) {
        const int64_t id = r.Int(0);
        // No profile of a child: a minor has no value group.
        if (members::IsMinor(static_cast<int>(r.Int(4)), static_cast<int>(r.Int(5)), now)) {
            if (current.count(id)) minors_with_values.push_back(id);
            continue;
        }
        const auto w = windows.find(static_cast<uint32_t>(id));
        const Window win = w == windows.end() ? Window{} : w->second;
        MemberActivity a{.first_purchase_at = r.OptInt(1).value_or(0), .last_purchase_at = r.OptInt(2).value_or(0),
                         .purchases_365 = win.purchases_365, .spend_365 = win.spend_365, .recent_180 = win.recent_180,
                         .prior_180 = win.purchases_365 - win.recent_180, .lifetime_spend = r.Int(3)};
        const MemberValue v = ClassifyMember(a, cuts, now);
        const std::string key = std::to_string(v.r) + v.rfm_class + std::to_string(v.f) + v.lifecycle +
                                std::to_string(v.m) + v.value_group;
        auto it = current.find(id);
        if (it != current.end() && it->second == key) continue;
        changes.emplace_back(id, v);
    }
    constexpr size_t kBatch = 5000;
    for (size_t start = 0; start == 0 || start < changes.size(); start += kBatch) {
        auto write = db.Begin(storage::TxMode::kWrite);
        if (!write.ok()) return write.take_error();
        if (start == 0) {
            STORECRM_TRY(SaveCuts(**write, cuts));
            for (int64_t id : minors_with_values) {
                STORECRM_TRY((*write)->Exec("DELETE FROM member_values WHERE member_id = ?", {id}));
            }
        }
        for (size_t i = start; i < std::min(changes.size(), start + kBatch); ++i) {
            STORECRM_TRY(Upsert(**write, changes[i].first, changes[i].second, now));
        }
        if (start + kBatch >= changes.size() && !changes.empty()) STORECRM_TRY(members::BumpAudienceEpoch(**write));
        STORECRM_TRY((*write)->Commit());
    }
    return static_cast<int64_t>(changes.size());
}

}  // namespace storecrm::marketing
