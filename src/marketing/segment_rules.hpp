#pragma once
// The audience language of segments 客户分群, tag rules and campaigns: nested groups
// {"match":"all"|"any"|"none","rules":[…]} of conditions {"field","op","value","days"} over
// member attributes, tags, tiers, stores, custom fields, spend / purchases / recency in a window,
// categories bought, coupons, campaign responses, consent and the value groups.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/error.hpp"

namespace storecrm::marketing {

enum class FieldKind {
    kIds,     // ids of stores, tiers, tags, categories … ("in", "not_in"; tags also "all")
    kCodes,   // fixed codes: gender, rfm_class … ("in", "not_in")
    kNumber,  // "gte", "lte", "between"
};

struct FieldSpec {
    const char* name;
    FieldKind kind;
    bool windowed;        // takes "days" (the window ending today)
    int default_days;     // when "days" is absent (0: all time)
    const char* zh;
    const char* en;
    std::vector<std::string> codes;  // kCodes: the allowed values
};

// Every field a condition may name (custom fields are "custom.<key>", codes as text).
const std::vector<FieldSpec>& SegmentFields();

struct Condition {
    std::string field;       // as sent; "custom.<key>" for a custom field
    std::string op;          // in | not_in | all | gte | lte | between
    std::vector<int64_t> ids;
    std::vector<std::string> codes;
    int64_t low = INT64_MIN, high = INT64_MAX;  // numbers: the inclusive range
    int days = 0;                                // windowed fields: 0 = all time
};

struct RuleGroup {
    std::string match = "all";  // all | any | none
    std::vector<Condition> conditions;
    std::vector<RuleGroup> groups;
};

// Parses and checks a rule tree; problems are field errors named after their place, e.g.
// "rules.rules[2].value". Depth ≤ 5, ≤ 100 conditions in all. An empty group matches everyone.
Result<RuleGroup> ParseRules(const nlohmann::json& rules, const std::string& field_name = "rules");

// The tree back as JSON (normalised: what was understood).
nlohmann::json RulesJson(const RuleGroup& group);

}  // namespace storecrm::marketing
