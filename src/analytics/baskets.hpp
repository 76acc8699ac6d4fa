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

// Sequential rules 序列规则: "bought X, then Y within `within_days`" (infant formula, then
// nappies), counted over members: support = members who did X then Y / members who bought;
// confidence = those / members who bought X; lift = confidence / share of members buying Y.
struct SequenceQuery {
    Period period;
    int within_days = 90;
    double min_support = 0.01;
    double min_confidence = 0.1;
    const std::vector<uint32_t>* item_of = nullptr;
};
struct SequenceRule {
    uint32_t first = 0, then = 0;
    int64_t members = 0;
    double support = 0, confidence = 0, lift = 0;
};
struct SequenceResult {
    int64_t members = 0;
    std::vector<SequenceRule> rules;  // by lift, then members
};
SequenceResult MineSequences(const SalesColumns& columns, const SequenceQuery& query);

// Products a member has not bought that the rules point to from what they have: each rule
// X → Y with X bought scores its confidence × lift; the best `limit`.
struct Suggestion {
    uint32_t item = 0;
    double score = 0;
    uint32_t because = 0;  // the bought item of the strongest rule
};
std::vector<Suggestion> NextBestItems(const std::vector<Rule>& rules, const std::vector<uint32_t>& bought, size_t limit);

}  // namespace storecrm::analytics
