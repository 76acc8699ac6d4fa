#pragma once
// Automatic tags: a tag kept by a rule (e.g. "high value" = spend in 12 months ≥ 5,000 yuan).
// Members who match carry the tag and the others lose it; applied nightly for everyone and
// shortly after each sale for its member.

#include <cstdint>
#include <unordered_set>

#include "common/error.hpp"
#include "http/services.hpp"

namespace storecrm::marketing {

struct TagRuleOutcome {
    int64_t rules = 0;
    int64_t added = 0;
    int64_t removed = 0;
};

// Applies the enabled rules (or just `rule_id` when > 0), limited to `only` when given.
Result<TagRuleOutcome> ApplyTagRules(Services& services, int64_t now, const std::unordered_set<uint32_t>* only,
                                     int64_t rule_id = 0);

// Values and tag rules of the members who bought or returned since the last pass.
Result<int64_t> FollowSales(Services& services, int64_t now);

}  // namespace storecrm::marketing
