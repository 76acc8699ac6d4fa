#include "analytics/reports.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

namespace storecrm::analytics {
namespace {

struct StoreFilter {
    explicit StoreFilter(const std::vector<uint16_t>& stores) {
        if (stores.empty()) return;
        allowed.assign(65536, 0);
        for (uint16_t s : stores) allowed[s] = 1;
    }
    bool operator()(uint16_t store) const { return allowed.empty() || allowed[store]; }
    std::vector<uint8_t> allowed;
};

uint32_t MaxMember(const SalesColumns& c) {
    uint32_t max = 0;
    for (uint32_t m : c.sale_member) max = std::max(max, m);
    return max;
}

// Civil date of a day number (Howard Hinnant's days_from_civil, inverted).
void CivilOf(uint16_t day, int& year, int& month) {
    int64_t z = static_cast<int64_t>(day) + 10957 + 719468;  // days since 1970-01-01, shifted to 0000-03-01
    const int64_t era = z / 146097;
    const int64_t doe = z - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    year = static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
}

}  // namespace

int MonthOf(uint16_t day) {
    int y = 0, m = 0;
    CivilOf(day, y, m);
    return (y - 2000) * 12 + (m - 1);
}

std::string MonthText(int month) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d", 2000 + month / 12, month % 12 + 1);
    return buf;
}

SalesReport ComputeSales(const SalesColumns& c, const Period& p) {
    const StoreFilter store_ok(p.stores);
    SalesReport r;
    const size_t days = p.to_day >= p.from_day ? p.to_day - p.from_day + 1u : 0u;
    r.day_amount.assign(days, 0);
    r.day_transactions.assign(days, 0);
    const uint32_t max_member = MaxMember(c);
    std::vector<uint32_t> visits(max_member + 1, 0);
    // Dense per-product and per-store tallies (a map lookup per line would dominate the scan).
    uint32_t max_product = 0;
    for (uint32_t p : c.line_product) max_product = std::max(max_product, p);
    std::vector<std::pair<int64_t, int64_t>> products(max_product + 1);
    std::vector<StoreFigures> store_figures(65536);
    std::vector<uint8_t> store_seen(65536, 0);
    // Distinct members per store: one bit per member for each store seen.
    std::map<uint16_t, std::vector<uint64_t>> store_members;
    for (size_t s = 0; s < c.sales(); ++s) {
        const uint16_t day = c.sale_day[s];
        const uint16_t store = c.sale_store[s];
        if (day < p.from_day || day > p.to_day || !store_ok(store)) continue;
        const bool refund = c.sale_refund[s] != 0;
        int64_t amount = 0, items = 0;
        for (uint32_t l = c.sale_first_line[s], end = c.LineEnd(s); l < end; ++l) {
            amount += c.line_amount[l];
            items += c.line_quantity[l];
            auto& pq = products[c.line_product[l]];
            pq.first += c.line_amount[l];
            pq.second += c.line_quantity[l];
        }
        r.amount += amount;
        r.day_amount[day - p.from_day] += amount;
        StoreFigures& sf = store_figures[store];
        store_seen[store] = 1;
        sf.amount += amount;
        if (refund) continue;
        r.sales_amount += amount;
        r.transactions += 1;
        r.items += items;
        r.day_transactions[day - p.from_day] += 1;
        r.heat_amount[WeekdayOf(day) - 1][c.sale_hour[s]] += amount;
        r.heat_transactions[WeekdayOf(day) - 1][c.sale_hour[s]] += 1;
        sf.sales_amount += amount;
        sf.transactions += 1;
        const uint32_t m = c.sale_member[s];
        if (m == 0) continue;
        r.member_transactions += 1;
        r.member_sales_amount += amount;
        if (visits[m]++ == 0) r.members_buying += 1;
        if (visits[m] == 2) r.members_repeat += 1;
        auto& bits = store_members[store];
        if (bits.empty()) bits.assign(max_member / 64 + 1, 0);
        const uint64_t bit = uint64_t{1} << (m % 64);
        if (!(bits[m / 64] & bit)) {
            bits[m / 64] |= bit;
            sf.members_buying += 1;
        }
    }
    for (uint32_t p = 0; p <= max_product; ++p) {
        if (products[p].first || products[p].second) r.product_amount_quantity[p] = products[p];
    }
    for (size_t st = 0; st < store_seen.size(); ++st) {
        if (store_seen[st]) r.stores[static_cast<uint16_t>(st)] = store_figures[st];
    }
    return r;
}

std::vector<Cohort> ComputeCohorts(const SalesColumns& c, int first_month, int last_month,
                                   const std::vector<uint16_t>& stores) {
    const StoreFilter store_ok(stores);
    const uint32_t max_member = MaxMember(c);
    // Pass 1: each member's first month; pass 2: the months after it they bought in (≤ 63).
    std::vector<int16_t> first(max_member + 1, INT16_MAX);
    for (size_t s = 0; s < c.sales(); ++s) {
        const uint32_t m = c.sale_member[s];
        if (m == 0 || c.sale_refund[s] || !store_ok(c.sale_store[s])) continue;
        first[m] = static_cast<int16_t>(std::min<int>(first[m], MonthOf(c.sale_day[s])));
    }
    std::vector<uint64_t> months(max_member + 1, 0);
    for (size_t s = 0; s < c.sales(); ++s) {
        const uint32_t m = c.sale_member[s];
        if (m == 0 || c.sale_refund[s] || !store_ok(c.sale_store[s])) continue;
        const int month = MonthOf(c.sale_day[s]);
        const int offset = month - first[m];
        if (month <= last_month && offset >= 0 && offset < 64) months[m] |= uint64_t{1} << offset;
    }
    std::vector<Cohort> out;
    for (int month = first_month; month <= last_month; ++month) {
        out.push_back({month, 0, std::vector<int64_t>(static_cast<size_t>(last_month - month + 1), 0)});
    }
    for (uint32_t m = 1; m <= max_member; ++m) {
        if (first[m] < first_month || first[m] > last_month) continue;
        Cohort& cohort = out[static_cast<size_t>(first[m] - first_month)];
        cohort.members += 1;
        for (size_t k = 0; k < cohort.active.size(); ++k) {
            if (months[m] & (uint64_t{1} << k)) cohort.active[k] += 1;
        }
    }
    return out;
}

std::vector<uint32_t> MembersBuying(const SalesColumns& c, const Period& p) {
    const StoreFilter store_ok(p.stores);
    std::vector<uint8_t> seen(MaxMember(c) + 1, 0);
    std::vector<uint32_t> out;
    for (size_t s = 0; s < c.sales(); ++s) {
        const uint32_t m = c.sale_member[s];
        if (m == 0 || seen[m] || c.sale_refund[s] || c.sale_day[s] < p.from_day || c.sale_day[s] > p.to_day ||
            !store_ok(c.sale_store[s])) {
            continue;
        }
        seen[m] = 1;
        out.push_back(m);
    }
    std::sort(out.begin(), out.end());
    return out;
}

}  // namespace storecrm::analytics
