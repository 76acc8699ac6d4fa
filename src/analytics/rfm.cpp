#include "analytics/rfm.hpp"

#include <algorithm>

namespace storecrm::analytics {
namespace {

// Cut points at the 20/40/60/80th percentile of `values` (nth_element: linear time).
template <typename T>
std::array<double, 4> Quintiles(std::vector<T> values) {
    std::array<double, 4> cuts{};
    if (values.empty()) return cuts;
    for (int k = 1; k <= 4; ++k) {
        const size_t at = std::min(values.size() - 1, values.size() * static_cast<size_t>(k) / 5);
        std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(at), values.end());
        cuts[k - 1] = static_cast<double>(values[at]);
    }
    return cuts;
}

}  // namespace

const std::vector<std::string>& RfmClasses() {
    static const std::vector<std::string> classes = {"champions",      "loyal",   "potential_loyalist", "new",
                                                     "promising",      "need_attention", "about_to_sleep", "at_risk",
                                                     "cant_lose",      "hibernating",    "lost"};
    return classes;
}

const char* RfmClass(uint8_t r, uint8_t f) {
    if (r >= 4 && f >= 4 && (r == 5 || f == 5)) return "champions";
    if (r >= 3 && f >= 4) return "loyal";
    if (r >= 4 && f >= 2) return "potential_loyalist";
    if (r == 5) return "new";
    if (r == 4) return "promising";
    if (r == 3 && f == 3) return "need_attention";
    if (r == 3) return "about_to_sleep";
    if (f == 5) return "cant_lose";
    if (f >= 3) return "at_risk";
    if (r == 2) return "hibernating";
    return "lost";
}

RfmResult ComputeRfm(const SalesColumns& c, const RfmQuery& q) {
    std::vector<bool> store_ok;
    if (!q.stores.empty()) {
        store_ok.assign(65536, false);
        for (uint16_t s : q.stores) store_ok[s] = true;
    }
    // Per member, indexed by member id: the last day bought, purchases, spend.
    uint32_t max_member = 0;
    for (uint32_t m : c.sale_member) max_member = std::max(max_member, m);
    std::vector<uint16_t> last(max_member + 1, 0);
    std::vector<uint32_t> count(max_member + 1, 0);
    std::vector<int64_t> spend(max_member + 1, 0);
    std::vector<uint8_t> seen(max_member + 1, 0);
    const size_t n = c.sales();
    for (size_t i = 0; i < n; ++i) {
        const uint32_t m = c.sale_member[i];
        const uint16_t day = c.sale_day[i];
        if (m == 0 || day < q.from_day || day > q.to_day) continue;
        if (!store_ok.empty() && !store_ok[c.sale_store[i]]) continue;
        int64_t amount = 0;
        for (uint32_t l = c.sale_first_line[i], end = c.LineEnd(i); l < end; ++l) amount += c.line_amount[l];
        spend[m] += amount;
        if (c.sale_refund[i]) continue;  // a refund lowers the spend; it is no visit
        seen[m] = 1;
        count[m] += 1;
        last[m] = std::max(last[m], day);
    }
    RfmResult out;
    std::vector<uint16_t> recencies;
    std::vector<uint32_t> frequencies;
    std::vector<int64_t> spends;
    for (uint32_t m = 1; m <= max_member; ++m) {
        if (!seen[m]) continue;
        RfmMember row{m, static_cast<uint16_t>(q.to_day - last[m]), count[m], spend[m]};
        out.members.push_back(row);
        recencies.push_back(row.recency_days);
        frequencies.push_back(row.frequency);
        spends.push_back(row.monetary);
    }
    out.recency_cuts = Quintiles(std::move(recencies));
    out.frequency_cuts = Quintiles(std::move(frequencies));
    out.monetary_cuts = Quintiles(std::move(spends));
    for (auto& row : out.members) {
        // Recency: fewer days is better, so the score counts the cut points the value stays under.
        uint8_t r = 5;
        for (double cut : out.recency_cuts) r -= row.recency_days > cut ? 1 : 0;
        row.r = std::max<uint8_t>(r, 1);
        uint8_t f = 1, m = 1;
        for (double cut : out.frequency_cuts) f += row.frequency > cut ? 1 : 0;
        for (double cut : out.monetary_cuts) m += static_cast<double>(row.monetary) > cut ? 1 : 0;
        row.f = std::min<uint8_t>(f, 5);
        row.m = std::min<uint8_t>(m, 5);
        auto& cell = out.grid[row.r - 1][row.f - 1];
        cell.members += 1;
        cell.revenue += row.monetary;
    }
    return out;
}

}  // namespace storecrm::analytics
