#include "analytics/member_features.hpp"

#include <algorithm>

namespace storecrm::analytics {

MemberFeatures ComputeMemberFeatures(const SalesColumns& c, const Period& p, const std::vector<uint32_t>& category_of) {
    std::vector<uint8_t> store_ok;
    if (!p.stores.empty()) {
        store_ok.assign(65536, 0);
        for (uint16_t s : p.stores) store_ok[s] = 1;
    }
    uint32_t max_member = 0;
    for (uint32_t m : c.sale_member) max_member = std::max(max_member, m);
    std::vector<uint16_t> last(max_member + 1, 0);
    std::vector<uint32_t> count(max_member + 1, 0);
    std::vector<int64_t> spend(max_member + 1, 0), sales(max_member + 1, 0);
    std::vector<uint64_t> member_category;  // member << 20 | category, sorted and counted below
    for (size_t s = 0; s < c.sales(); ++s) {
        const uint32_t m = c.sale_member[s];
        if (m == 0 || c.sale_day[s] < p.from_day || c.sale_day[s] > p.to_day) continue;
        if (!store_ok.empty() && !store_ok[c.sale_store[s]]) continue;
        int64_t amount = 0;
        for (uint32_t l = c.sale_first_line[s], end = c.LineEnd(s); l < end; ++l) {
            amount += c.line_amount[l];
            const uint32_t product = c.line_product[l];
            const uint32_t category = product < category_of.size() ? category_of[product] : 0;
            if (!c.sale_refund[s] && category) member_category.push_back((uint64_t{m} << 20) | (category & 0xFFFFF));
        }
        spend[m] += amount;
        if (c.sale_refund[s]) continue;
        sales[m] += amount;
        count[m] += 1;
        last[m] = std::max(last[m], c.sale_day[s]);
    }
    std::sort(member_category.begin(), member_category.end());
    member_category.erase(std::unique(member_category.begin(), member_category.end()), member_category.end());
    std::vector<uint32_t> breadth(max_member + 1, 0);
    for (uint64_t key : member_category) breadth[key >> 20] += 1;
    MemberFeatures f;
    for (uint32_t m = 1; m <= max_member; ++m) {
        if (!count[m]) continue;
        f.member.push_back(m);
        f.recency_days.push_back(static_cast<double>(p.to_day - last[m]));
        f.frequency.push_back(count[m]);
        f.monetary.push_back(static_cast<double>(spend[m]));
        f.average_order_value.push_back(static_cast<double>(sales[m]) / count[m]);
        f.category_breadth.push_back(breadth[m]);
    }
    return f;
}

}  // namespace storecrm::analytics
