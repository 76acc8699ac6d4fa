#pragma once
// Basket analysis 购物篮分析: which products (or categories) are bought together. Frequent
// itemsets are counted level by level as in Apriori — single items, then pairs of frequent
// items in a dense triangular table, then triples of frequent pairs in a hash table — and turned
// into rules "A (and B) → C" with support, confidence and lift.

#include <cstdint>
#include <vector>

#include "analytics/sales_columns.hpp"

namespace storecrm::analytics {

struct BasketQuery {
    Period period;
    double min_support = 0.01;    // share of baskets holding the whole itemset
    double min_confidence = 0.1;  // share of baskets with the antecedent that also hold the consequent
    double min_lift = 1.0;
    int max_length = 2;           // items in a rule, antecedent and consequent together: 2 or 3
    // Counts categories instead of products when set: item_of[product id] = category id (0: none).
    const std::vector<uint32_t>* item_of = nullptr;
};

struct Rule {
    std::vector<uint32_t> antecedent;  // item ids (products or categories)
    uint32_t consequent = 0;
    int64_t count = 0;                 // baskets holding all of them
    double support = 0, confidence = 0, lift = 0;
};

struct BasketResult {
    int64_t baskets = 0;
    int64_t frequent_items = 0;
    std::vector<Rule> rules;  // by lift, then support, descending
};

BasketResult MineBaskets(const SalesColumns& columns, const BasketQuery& query);

}  // namespace storecrm::analytics
