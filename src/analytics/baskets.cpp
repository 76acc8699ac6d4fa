#include "analytics/baskets.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

namespace storecrm::analytics {
namespace {

constexpr uint32_t kNone = UINT32_MAX;
constexpr size_t kMaxItems = 8000;  // 32 M pair counters, 128 MB at most

// Calls `visit(items, n)` for every basket of the period with its distinct items, sorted — from
// a small buffer, without copying the period's lines anywhere.
// LSD radix sort of 32-bit keys, 12 bits a pass (4,096 buckets stay in cache while scattering),
// as many passes as the largest key needs.
void RadixSort(std::vector<uint32_t>& keys) {
    uint32_t max_key = 0;
    for (uint32_t key : keys) max_key = std::max(max_key, key);
    std::vector<uint32_t> buffer(keys.size());
    for (int shift = 0; shift < 32 && (max_key >> shift) != 0; shift += 12) {
        std::vector<size_t> count(4097, 0);
        for (uint32_t key : keys) ++count[((key >> shift) & 0xFFF) + 1];
        for (size_t i = 1; i < count.size(); ++i) count[i] += count[i - 1];
        for (uint32_t key : keys) buffer[count[(key >> shift) & 0xFFF]++] = key;
        keys.swap(buffer);
    }
}

template <typename Visit>
int64_t ForEachBasket(const SalesColumns& c, const BasketQuery& q, Visit&& visit) {
    std::vector<uint8_t> store_ok;
    if (!q.period.stores.empty()) {
        store_ok.assign(65536, 0);
        for (uint16_t s : q.period.stores) store_ok[s] = 1;
    }
    std::vector<uint32_t> items;
    int64_t baskets = 0;
    for (size_t s = 0; s < c.sales(); ++s) {
        if (c.sale_refund[s] || c.sale_day[s] < q.period.from_day || c.sale_day[s] > q.period.to_day) continue;
        if (!store_ok.empty() && !store_ok[c.sale_store[s]]) continue;
        items.clear();
        for (uint32_t l = c.sale_first_line[s], end = c.LineEnd(s); l < end; ++l) {
            uint32_t item = c.line_product[l];
            if (q.item_of) item = item < q.item_of->size() ? (*q.item_of)[item] : 0;
            if (item) items.push_back(item);
        }
        if (items.size() > 1) {
            std::sort(items.begin(), items.end());
            items.erase(std::unique(items.begin(), items.end()), items.end());
        }
        ++baskets;
        visit(items.data(), items.size());
    }
    return baskets;
}

}  // namespace

BasketResult MineBaskets(const SalesColumns& c, const BasketQuery& q) {
    BasketResult out;
    // Level 1: items, then a dense index for the frequent ones.
    uint32_t max_item = 0;
    if (q.item_of) {
        for (uint32_t i : *q.item_of) max_item = std::max(max_item, i);
    } else {
        for (uint32_t p : c.line_product) max_item = std::max(max_item, p);
    }
    std::vector<int64_t> single(max_item + 1, 0);
    out.baskets = ForEachBasket(c, q, [&](const uint32_t* items, size_t n) {
        for (size_t i = 0; i < n; ++i) single[items[i]] += 1;
    });
    if (out.baskets == 0) return out;
    const auto min_count = static_cast<int64_t>(std::ceil(q.min_support * static_cast<double>(out.baskets)));
    const int64_t need = std::max<int64_t>(1, min_count);
    std::vector<uint32_t> dense(max_item + 1, kNone), item_of_dense;
    for (uint32_t i = 0; i <= max_item; ++i) {
        if (single[i] >= need) item_of_dense.push_back(i);
    }
    // The pair table grows with the square of the frequent items: a very low support keeps the
    // most frequent kMaxItems only (the answer says how many were frequent).
    out.frequent_items = static_cast<int64_t>(item_of_dense.size());
    if (item_of_dense.size() > kMaxItems) {
        std::nth_element(item_of_dense.begin(), item_of_dense.begin() + kMaxItems, item_of_dense.end(),
                         [&](uint32_t x, uint32_t y) { return single[x] > single[y]; });
        item_of_dense.resize(kMaxItems);
        std::sort(item_of_dense.begin(), item_of_dense.end());
    }
    for (size_t d = 0; d < item_of_dense.size(); ++d) dense[item_of_dense[d]] = static_cast<uint32_t>(d);
    const size_t k = item_of_dense.size();

    // Level 2: pairs of frequent items. Each basket's pairs are written out as their index in
    // the triangle i < j (i*k - i*(i+1)/2 + j-i-1), radix-sorted and counted in runs: sequential
    // memory traffic instead of a random increment per pair in a table of k²/2 counters.
    auto tri = [k](size_t i, size_t j) { return i * k - i * (i + 1) / 2 + (j - i - 1); };
    std::vector<uint32_t> present;
    // Dense ids keep the order of item ids, so `present` stays sorted.
    auto frequent_of = [&](const uint32_t* items, size_t n) {
        present.clear();
        for (size_t i = 0; i < n; ++i) {
            if (dense[items[i]] != kNone) present.push_back(dense[items[i]]);
        }
    };
    std::vector<uint32_t> keys;
    keys.reserve(c.lines());  // about one pair a line for baskets of two or three lines
    if (k > 1) {
        ForEachBasket(c, q, [&](const uint32_t* items, size_t n) {
            if (n < 2) return;
            frequent_of(items, n);
            for (size_t x = 0; x < present.size(); ++x) {
                for (size_t y = x + 1; y < present.size(); ++y) keys.push_back(static_cast<uint32_t>(tri(present[x], present[y])));
            }
        });
    }
    RadixSort(keys);
    std::unordered_map<uint32_t, int64_t> pair_count;  // frequent pairs only
    std::vector<uint64_t> pair_frequent_bits(k > 1 ? (k * (k - 1) / 2) / 64 + 1 : 1, 0);
    for (size_t at = 0; at < keys.size();) {
        size_t end = at;
        while (end < keys.size() && keys[end] == keys[at]) ++end;
        if (static_cast<int64_t>(end - at) >= need) {
            pair_count[keys[at]] = static_cast<int64_t>(end - at);
            pair_frequent_bits[keys[at] / 64] |= uint64_t{1} << (keys[at] % 64);
        }
        at = end;
    }
    std::vector<uint32_t>().swap(keys);
    auto pair_frequent = [&](size_t i, size_t j) {
        const size_t t = tri(i, j);
        return (pair_frequent_bits[t / 64] >> (t % 64)) & 1;
    };
    const double baskets = static_cast<double>(out.baskets);
    auto add_rule = [&](std::vector<uint32_t> antecedent, uint32_t consequent, int64_t together, int64_t antecedent_count) {
        const double support = static_cast<double>(together) / baskets;
        const double confidence = static_cast<double>(together) / static_cast<double>(antecedent_count);
        const double lift = confidence / (static_cast<double>(single[consequent]) / baskets);
        if (confidence + 1e-12 < q.min_confidence || lift + 1e-12 < q.min_lift) return;
        out.rules.push_back({std::move(antecedent), consequent, together, support, confidence, lift});
    };
    for (size_t i = 0; i < k; ++i) {
        for (size_t j = i + 1; j < k; ++j) {
            if (!pair_frequent(i, j)) continue;
            const int64_t n = pair_count[static_cast<uint32_t>(tri(i, j))];
            const uint32_t a = item_of_dense[i], bb = item_of_dense[j];
            add_rule({a}, bb, n, single[a]);
            add_rule({bb}, a, n, single[bb]);
        }
    }

    // Level 3: triples whose three pairs are all frequent (the Apriori property), by hash.
    if (q.max_length >= 3 && k >= 3) {
        std::unordered_map<uint64_t, uint32_t> triples;
        ForEachBasket(c, q, [&](const uint32_t* items, size_t n) {
            if (n < 3) return;
            frequent_of(items, n);
            for (size_t x = 0; x < present.size(); ++x) {
                for (size_t y = x + 1; y < present.size(); ++y) {
                    if (!pair_frequent(present[x], present[y])) continue;
                    for (size_t z = y + 1; z < present.size(); ++z) {
                        if (!pair_frequent(present[x], present[z]) || !pair_frequent(present[y], present[z])) continue;
                        triples[(uint64_t{present[x]} << 42) | (uint64_t{present[y]} << 21) | present[z]] += 1;
                    }
                }
            }
        });
        for (const auto& [key, n] : triples) {
            if (n < need) continue;
            const size_t x = key >> 42, y = (key >> 21) & 0x1FFFFF, z = key & 0x1FFFFF;
            const uint32_t ix = item_of_dense[x], iy = item_of_dense[y], iz = item_of_dense[z];
            add_rule({ix, iy}, iz, n, pair_count[static_cast<uint32_t>(tri(x, y))]);
            add_rule({ix, iz}, iy, n, pair_count[static_cast<uint32_t>(tri(x, z))]);
            add_rule({iy, iz}, ix, n, pair_count[static_cast<uint32_t>(tri(y, z))]);
        }
    }
    std::sort(out.rules.begin(), out.rules.end(), [](const Rule& a, const Rule& b2) {
        if (a.lift != b2.lift) return a.lift > b2.lift;
        if (a.count != b2.count) return a.count > b2.count;
        return std::tie(a.antecedent, a.consequent) < std::tie(b2.antecedent, b2.consequent);
    });
    return out;
}

SequenceResult MineSequences(const SalesColumns& c, const SequenceQuery& q) {
    std::vector<uint8_t> store_ok;
    if (!q.period.stores.empty()) {
        store_ok.assign(65536, 0);
        for (uint16_t s : q.period.stores) store_ok[s] = 1;
    }
    // Each member's first day with each item, in the period.
    std::vector<std::tuple<uint32_t, uint32_t, uint16_t>> firsts;  // member, item, day
    for (size_t s = 0; s < c.sales(); ++s) {
        const uint32_t m = c.sale_member[s];
        if (m == 0 || c.sale_refund[s] || c.sale_day[s] < q.period.from_day || c.sale_day[s] > q.period.to_day) continue;
        if (!store_ok.empty() && !store_ok[c.sale_store[s]]) continue;
        for (uint32_t l = c.sale_first_line[s], end = c.LineEnd(s); l < end; ++l) {
            uint32_t item = c.line_product[l];
            if (q.item_of) item = item < q.item_of->size() ? (*q.item_of)[item] : 0;
            if (item) firsts.emplace_back(m, item, c.sale_day[s]);
        }
    }
    std::sort(firsts.begin(), firsts.end());
    SequenceResult out;
    std::map<uint32_t, int64_t> buyers;                            // item → members
    std::map<std::pair<uint32_t, uint32_t>, int64_t> sequences;   // (X, Y) → members
    std::vector<std::pair<uint16_t, uint32_t>> mine;               // (first day, item)
    for (size_t i = 0; i < firsts.size();) {
        const uint32_t m = std::get<0>(firsts[i]);
        mine.clear();
        for (; i < firsts.size() && std::get<0>(firsts[i]) == m;) {
            const uint32_t item = std::get<1>(firsts[i]);
            mine.emplace_back(std::get<2>(firsts[i]), item);  // sorted: the first day of the item
            while (i < firsts.size() && std::get<0>(firsts[i]) == m && std::get<1>(firsts[i]) == item) ++i;
        }
        out.members += 1;
        for (const auto& [day, item] : mine) buyers[item] += 1;
        for (const auto& [dx, x] : mine) {
            for (const auto& [dy, y] : mine) {
                if (x != y && dy > dx && dy - dx <= q.within_days) sequences[{x, y}] += 1;
            }
        }
    }
    if (out.members == 0) return out;
    const double n = static_cast<double>(out.members);
    for (const auto& [xy, count] : sequences) {
        const double support = static_cast<double>(count) / n;
        const double confidence = static_cast<double>(count) / static_cast<double>(buyers[xy.first]);
        const double lift = confidence / (static_cast<double>(buyers[xy.second]) / n);
        if (support + 1e-12 < q.min_support || confidence + 1e-12 < q.min_confidence) continue;
        out.rules.push_back({xy.first, xy.second, count, support, confidence, lift});
    }
    std::sort(out.rules.begin(), out.rules.end(), [](const SequenceRule& a, const SequenceRule& b) {
        if (a.lift != b.lift) return a.lift > b.lift;
        if (a.members != b.members) return a.members > b.members;
        return std::tie(a.first, a.then) < std::tie(b.first, b.then);
    });
    return out;
}

std::vector<Suggestion> NextBestItems(const std::vector<Rule>& rules, const std::vector<uint32_t>& bought, size_t limit) {
    std::set<uint32_t> have(bought.begin(), bought.end());
    std::map<uint32_t, Suggestion> best;
    for (const Rule& r : rules) {
        if (have.count(r.consequent)) continue;
        bool applies = true;
        for (uint32_t a : r.antecedent) applies &= have.count(a) > 0;
        if (!applies) continue;
        const double score = r.confidence * r.lift;
        auto& s = best[r.consequent];
        if (score > s.score) s = {r.consequent, score, r.antecedent.front()};
    }
    std::vector<Suggestion> out;
    for (const auto& [item, s] : best) out.push_back(s);
    std::sort(out.begin(), out.end(), [](const Suggestion& a, const Suggestion& b) {
        return a.score != b.score ? a.score > b.score : a.item < b.item;
    });
    if (out.size() > limit) out.resize(limit);
    return out;
}

}  // namespace storecrm::analytics
