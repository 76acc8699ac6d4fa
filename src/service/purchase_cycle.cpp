#include "service/purchase_cycle.hpp"

#include <algorithm>
#include <map>

namespace storecrm::service {

std::optional<PurchaseCycle> EstimatePurchaseCycle(std::vector<int64_t> times, int64_t utc_offset_seconds) {
    std::sort(times.begin(), times.end());
    std::vector<int64_t> days;  // local day numbers of distinct shopping days
    std::vector<int64_t> last_of_day;
    for (int64_t t : times) {
        const int64_t day = (t + utc_offset_seconds) / 86400;
        if (days.empty() || days.back() != day) {
            days.push_back(day);
            last_of_day.push_back(t);
        } else {
            last_of_day.back() = t;
        }
    }
    if (days.size() < kMinPurchasesForCycle) return std::nullopt;
    std::vector<int64_t> gaps;
    for (size_t i = 1; i < days.size(); ++i) gaps.push_back(days[i] - days[i - 1]);
    std::sort(gaps.begin(), gaps.end());
    const size_t n = gaps.size();
    const double median = n % 2 ? static_cast<double>(gaps[n / 2]) : (gaps[n / 2 - 1] + gaps[n / 2]) / 2.0;
    PurchaseCycle cycle;
    cycle.median_days = median;
    cycle.purchases = days.size();
    cycle.last_purchase_at = last_of_day.back();
    cycle.next_due_at = cycle.last_purchase_at + static_cast<int64_t>(median * 86400);
    return cycle;
}

MemberCycles CyclesOf(const std::vector<PurchaseLine>& lines) {
    std::vector<int64_t> all;
    std::map<int64_t, std::pair<std::string, std::vector<int64_t>>> by_category;
    for (const auto& line : lines) {
        all.push_back(line.sold_at);
        if (line.category_id) {
            auto& entry = by_category[*line.category_id];
            entry.first = line.category_name;
            entry.second.push_back(line.sold_at);
        }
    }
    auto distinct_days = [](std::vector<int64_t> times) {
        std::vector<int64_t> days;
        for (int64_t t : times) days.push_back((t + 8 * 3600) / 86400);
        std::sort(days.begin(), days.end());
        return static_cast<size_t>(std::unique(days.begin(), days.end()) - days.begin());
    };
    MemberCycles out;
    out.overall_days = distinct_days(all);
    out.overall = EstimatePurchaseCycle(all);
    for (auto& [id, entry] : by_category) {
        out.categories.push_back({id, entry.first, distinct_days(entry.second), EstimatePurchaseCycle(entry.second)});
    }
    std::stable_sort(out.categories.begin(), out.categories.end(),
                     [](const CategoryCycle& a, const CategoryCycle& b) { return a.days > b.days; });
    return out;
}

Result<MemberCycles> LoadMemberCycles(storage::Transaction& tx, int64_t member_id) {
    auto rows = tx.Query(
        "SELECT s.sold_at, p.category_id, COALESCE(c.name, '') FROM sales s JOIN sale_lines l ON l.sale_id = s.id "
        "JOIN products p ON p.id = l.product_id LEFT JOIN product_categories c ON c.id = p.category_id "
        "WHERE s.member_id = ? AND s.status <> 'refunded'",
        {member_id});
    if (!rows.ok()) return rows.take_error();
    std::vector<PurchaseLine> lines;
    for (const auto& r : *rows) lines.push_back({r.Int(0), r.OptInt(1), r.Text(2)});
    return CyclesOf(lines);
}

}  // namespace storecrm::service
