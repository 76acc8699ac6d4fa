#include "marketing/segment_rules.hpp"

#include <nlohmann/json.hpp>

#include "marketing/member_values.hpp"

namespace storecrm::marketing {
namespace {

using nlohmann::json;

constexpr int kMaxDepth = 5;
constexpr size_t kMaxConditions = 100;
constexpr size_t kMaxValues = 1000;

const FieldSpec* FindSpec(const std::string& field) {
    for (const auto& spec : SegmentFields()) {
        if (field == spec.name) return &spec;
    }
    return nullptr;
}

struct Parser {
    std::vector<FieldError> errors;
    size_t conditions = 0;

    void Add(const std::string& field, const std::string& key, std::vector<std::pair<std::string, std::string>> args = {}) {
        errors.push_back({field, {key, std::move(args)}});
    }

    void ReadCondition(const json& j, const std::string& at, Condition& c) {
        for (const auto& [k, v] : j.items()) {
            if (k != "field" && k != "op" && k != "value" && k != "days") Add(at + "." + k, "field.unknown");
        }
        if (!j.contains("field") || !j["field"].is_string()) return Add(at + ".field", "field.required");
        c.field = j["field"].get<std::string>();
        const bool custom = c.field.rfind("custom.", 0) == 0 && c.field.size() > 7;
        const FieldSpec* spec = custom ? nullptr : FindSpec(c.field);
        if (!custom && !spec) return Add(at + ".field", "segment.unknown_field", {{"field", c.field}});
        const FieldKind kind = custom ? FieldKind::kCodes : spec->kind;
        c.op = j.value("op", std::string(kind == FieldKind::kNumber ? "gte" : "in"));
        const bool number = kind == FieldKind::kNumber;
        const bool op_ok = number ? (c.op == "gte" || c.op == "lte" || c.op == "between")
                                  : (c.op == "in" || c.op == "not_in" || (c.op == "all" && c.field == "tag"));
        if (!op_ok) return Add(at + ".op", "segment.bad_op", {{"op", c.op}});
        if (j.contains("days")) {
            if (custom || !spec->windowed) {
                Add(at + ".days", "segment.days_not_allowed");
            } else if (!j["days"].is_number_integer() || j["days"].get<int64_t>() < 0 || j["days"].get<int64_t>() > 3650) {
                Add(at + ".days", "field.out_of_range", {{"min", "0"}, {"max", "3650"}});
            } else {
                c.days = static_cast<int>(j["days"].get<int64_t>());
            }
        } else if (spec) {
            c.days = spec->default_days;
        }
        const json* value = j.contains("value") ? &j["value"] : nullptr;
        const std::string vfield = at + ".value";
        if (!value || value->is_null()) return Add(vfield, "field.required");
        if (number) {
            auto num = [&](const json& v, int64_t& out) {
                if (!v.is_number()) return false;
                out = v.is_number_integer() ? v.get<int64_t>() : static_cast<int64_t>(v.get<double>());
                return true;
            };
            if (c.op == "between") {
                if (!value->is_array() || value->size() != 2 || !num((*value)[0], c.low) || !num((*value)[1], c.high)) {
                    return Add(vfield, "segment.between_needs_two");
                }
                if (c.low > c.high) return Add(vfield, "segment.between_order");
            } else {
                int64_t n = 0;
                if (!num(*value, n)) return Add(vfield, "field.must_be_integer");
                (c.op == "gte" ? c.low : c.high) = n;
            }
            return;
        }
        const json list = value->is_array() ? *value : json::array({*value});
        if (list.empty()) return Add(vfield, "segment.empty_list");
        if (list.size() > kMaxValues) return Add(vfield, "field.too_many", {{"max", std::to_string(kMaxValues)}});
        for (const auto& v : list) {
            if (kind == FieldKind::kIds) {
                if (!v.is_number_integer() || v.get<int64_t>() < 0) return Add(vfield, "field.must_be_integer");
                c.ids.push_back(v.get<int64_t>());
            } else {
                std::string code = v.is_string() ? v.get<std::string>() : v.is_number() ? v.dump() : "";
                if (code.empty() && !v.is_string()) return Add(vfield, "field.must_be_string");
                if (spec && !spec->codes.empty() &&
                    std::find(spec->codes.begin(), spec->codes.end(), code) == spec->codes.end()) {
                    return Add(vfield, "segment.unknown_code", {{"value", code}});
                }
                c.codes.push_back(std::move(code));
            }
        }
    }

    void ReadGroup(const json& j, const std::string& at, int depth, RuleGroup& g) {
        if (!j.is_object()) return Add(at, "field.must_be_object");
        if (depth > kMaxDepth) return Add(at, "segment.too_deep", {{"max", std::to_string(kMaxDepth)}});
        for (const auto& [k, v] : j.items()) {
            if (k != "match" && k != "rules") Add(at + "." + k, "field.unknown");
        }
        g.match = j.value("match", std::string("all"));
        if (g.match != "all" && g.match != "any" && g.match != "none") Add(at + ".match", "field.invalid_choice");
        if (!j.contains("rules")) return;
        if (!j["rules"].is_array()) return Add(at + ".rules", "field.must_be_array");
        size_t i = 0;
        for (const auto& item : j["rules"]) {
            const std::string place = at + ".rules[" + std::to_string(i++) + "]";
            if (!item.is_object()) {
                Add(place, "field.must_be_object");
            } else if (item.contains("match") || item.contains("rules")) {
                g.groups.emplace_back();
                ReadGroup(item, place, depth + 1, g.groups.back());
            } else {
                if (++conditions > kMaxConditions) return Add(place, "field.too_many", {{"max", std::to_string(kMaxConditions)}});
                g.conditions.emplace_back();
                ReadCondition(item, place, g.conditions.back());
            }
        }
    }
};

}  // namespace

const std::vector<FieldSpec>& SegmentFields() {
    static const std::vector<FieldSpec> fields = [] {
        std::vector<FieldSpec> f = {
            {"store", FieldKind::kIds, false, 0, "所属门店", "Home store", {}},
            {"tier", FieldKind::kIds, false, 0, "会员等级", "Tier (0 = none)", {}},
            {"guide", FieldKind::kIds, false, 0, "专属导购", "Guide (0 = none)", {}},
            {"tag", FieldKind::kIds, false, 0, "标签", "Tags", {}},
            {"birth_month", FieldKind::kIds, false, 0, "生日月份", "Birthday month", {}},
            {"bought_category", FieldKind::kIds, true, 0, "购买过的品类", "Bought from category", {}},
            {"coupon_held", FieldKind::kIds, false, 0, "持有优惠券", "Holds a coupon of", {}},
            {"coupon_used", FieldKind::kIds, true, 0, "用过优惠券", "Used a coupon of", {}},
            {"campaign_received", FieldKind::kIds, false, 0, "收到过活动", "Received campaign", {}},
            {"campaign_responded", FieldKind::kIds, false, 0, "响应过活动（期内购买）", "Bought after campaign", {}},
            {"gender", FieldKind::kCodes, false, 0, "性别", "Gender", {"male", "female", "unknown"}},
            {"member_category", FieldKind::kCodes, false, 0, "会员类别", "Member category", {"regular", "vip", "wholesale"}},
            {"source", FieldKind::kCodes, false, 0, "来源", "Source", {"walk_in", "online", "referral", "event", "import"}},
            {"consent", FieldKind::kCodes, false, 0, "营销授权渠道", "Marketing consent", {"sms", "email", "wechat"}},
            {"rfm_class", FieldKind::kCodes, false, 0, "RFM 分类", "RFM class", {}},
            {"lifecycle", FieldKind::kCodes, false, 0, "生命周期", "Lifecycle stage", {}},
            {"value_group", FieldKind::kCodes, false, 0, "价值分群", "Value group", {}},
            {"age", FieldKind::kNumber, false, 0, "年龄", "Age", {}},
            {"joined_days", FieldKind::kNumber, false, 0, "入会天数", "Days since joining", {}},
            {"points", FieldKind::kNumber, false, 0, "积分余额", "Points balance", {}},
            {"total_spend", FieldKind::kNumber, false, 0, "累计消费", "Lifetime spend", {}},
            {"spend", FieldKind::kNumber, true, 365, "期内消费", "Spend in window", {}},
            {"purchases", FieldKind::kNumber, true, 365, "期内购买次数", "Purchases in window", {}},
            {"last_purchase_days", FieldKind::kNumber, false, 0, "距上次购买天数", "Days since last purchase", {}},
        };
        for (auto& spec : f) {
            if (std::string(spec.name) == "rfm_class") spec.codes = RfmClassCodes();
            if (std::string(spec.name) == "lifecycle") spec.codes = LifecycleCodes();
            if (std::string(spec.name) == "value_group") spec.codes = ValueGroupCodes();
        }
        return f;
    }();
    return fields;
}

Result<RuleGroup> ParseRules(const json& rules, const std::string& field_name) {
    Parser parser;
    RuleGroup root;
    parser.ReadGroup(rules, field_name, 1, root);
    if (!parser.errors.empty()) return Error::Validation(std::move(parser.errors));
    return root;
}

json RulesJson(const RuleGroup& group) {
    json rules = json::array();
    for (const auto& c : group.conditions) {
        json j = {{"field", c.field}, {"op", c.op}};
        if (c.op == "between") j["value"] = json::array({c.low, c.high});
        else if (c.op == "gte") j["value"] = c.low;
        else if (c.op == "lte") j["value"] = c.high;
        else if (!c.ids.empty()) j["value"] = c.ids;
        else j["value"] = c.codes;
        const FieldSpec* spec = FindSpec(c.field);
        if (spec && spec->windowed) j["days"] = c.days;
        rules.push_back(std::move(j));
    }
    for (const auto& g : group.groups) rules.push_back(RulesJson(g));
    return {{"match", group.match}, {"rules", rules}};
}

}  // namespace storecrm::marketing
