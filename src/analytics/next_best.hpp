#pragma once
// "Next best products" 猜你想买: what a member is likely to want next, from the product rules
// of the last 12 months — on the 360° page and as the campaign variable {next_best}.

#include <cstdint>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "analytics/baskets.hpp"
#include "analytics/sales_columns.hpp"
#include "common/error.hpp"
#include "storage/database.hpp"

namespace storecrm::analytics {

// The rules, mined again at most every 10 minutes (mining reads every line of the year).
Result<std::vector<Rule>> NextBestRules(SalesStore& store, storage::Database& db);

// What each of `members` bought (product ids, not refunded), in one pass over the columns.
std::unordered_map<uint32_t, std::vector<uint32_t>> ItemsBought(SalesStore& store,
                                                                const std::unordered_set<uint32_t>& members);

}  // namespace storecrm::analytics
