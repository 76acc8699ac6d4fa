#include "analytics/next_best.hpp"

#include <algorithm>
#include <mutex>

#include "common/clock.hpp"

namespace storecrm::analytics {

Result<std::vector<Rule>> NextBestRules(SalesStore& store, storage::Database& db) {
    static std::mutex mutex;
    static std::vector<Rule> rules;
    static int64_t mined_at = 0;
    std::lock_guard lock(mutex);
    if (!mined_at || NowUnix() - mined_at > 600) {
        STORECRM_TRY(store.CatchUp(db));
        const uint16_t today = DayOf(NowUnix());
        BasketQuery q{.period = {static_cast<uint16_t>(std::max(0, today - 364)), today, {}},
                      .min_support = 0.001, .min_confidence = 0.05, .min_lift = 1.0, .max_length = 2};
        rules = store.Read([&](const SalesColumns& c) { return MineBaskets(c, q); }).rules;
        mined_at = NowUnix();
    }
    return rules;
}

std::unordered_map<uint32_t, std::vector<uint32_t>> ItemsBought(SalesStore& store,
                                                                const std::unordered_set<uint32_t>& members) {
    return store.Read([&](const SalesColumns& c) {
        std::unordered_map<uint32_t, std::vector<uint32_t>> items;
        for (size_t s = 0; s < c.sales(); ++s) {
            if (c.sale_refund[s] || !members.count(c.sale_member[s])) continue;
            auto& bought = items[c.sale_member[s]];
            for (uint32_t l = c.sale_first_line[s], end = c.LineEnd(s); l < end; ++l) bought.push_back(c.line_product[l]);
        }
        return items;
    });
}

}  // namespace storecrm::analytics
