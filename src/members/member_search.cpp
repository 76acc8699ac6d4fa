#include "members/member_search.hpp"

#include "members/member_code.hpp"

#include <charconv>
#include <ctime>
#include <map>
#include <set>

#include "common/clock.hpp"
#include "common/phone.hpp"
#include "common/text_fold.hpp"
#include "members/member_code.hpp"

namespace storecrm::members {
namespace {

using storage::Blob;

bool ParseInt(const std::string& text, int64_t& out) {
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && ptr == text.data() + text.size();
}

bool AllDigits(const std::string& s) {
    return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos;
}

int CurrentYear() {
    std::time_t t = NowUnix();
    std::tm tm{};
    gmtime_r(&t, &tm);
    return tm.tm_year + 1900;
}

const std::set<std::string>& FilterNames() {
    static const std::set<std::string> names = {
        "q",        "store_id",       "category",     "source",     "gender",  "tags",   "tags_mode",
        "age_min",  "age_max",        "birthday_month", "created_from", "created_to", "consent", "guide_id",
        "status",   "sort",           "tier_id",      "spend_min",  "spend_max", "purchases_min", "purchases_max",
        "last_purchase_from", "last_purchase_to"};
    return names;
}

}  // namespace

bool IsMemberFilterName(const std::string& name) { return FilterNames().count(name) || name.rfind("cf.", 0) == 0; }

Result<MemberQuery> BuildMemberQuery(const ParamGetter& get, const CustomFilters& custom_filters,
                                     const security::Principal& principal,
                                     const security::FieldVault& vault, storage::Dialect dialect) {
    MemberQuery query;
    std::vector<FieldError> errors;
    auto bad = [&](const std::string& field, const std::string& key,
                   std::vector<std::pair<std::string, std::string>> args = {}) {
        errors.push_back({field, {key, std::move(args)}});
    };
    auto& params = query.params;
    std::string where = " WHERE 1 = 1";

    const std::string status = get("status").value_or("active");
    query.status = status;
    if (status == "all") {
        where += " AND m.status IN ('active', 'archived')";
    } else if (status == "active" || status == "archived" || status == "anonymized") {
        where += " AND m.status = ?";
        params.emplace_back(status);
    } else {
        bad("status", "field.invalid_choice", {{"choices", "active, archived, anonymized, all"}});
    }
    where += security::StoreScopeClause(principal, "m.home_store_id", params);

    if (auto q_raw = get("q")) {
        std::string q = *q_raw;
        size_t a = q.find_first_not_of(" \t"), b = q.find_last_not_of(" \t");
        q = a == std::string::npos ? "" : q.substr(a, b - a + 1);
        if (q.size() > 100) {
            bad("q", "field.too_long", {{"max", "100"}});
        } else if (!q.empty() && !IsValidUtf8(q)) {
            bad("q", "error.invalid_utf8");
        } else if (!q.empty()) {
            std::string digits;
            for (char c : q) {
                if (c >= '0' && c <= '9') digits.push_back(c);
            }
            const bool phone_like = q.find_first_not_of("0123456789+-() ") == std::string::npos;
            if (phone_like && digits.size() == 4 && AllDigits(q)) {
                where += " AND m.phone_last4_bidx = ?";
                params.emplace_back(Blob{vault.BlindIndex("last4", q)});
            } else if (phone_like && digits.size() >= 7) {
                auto phone = NormalizePhone(q);
                where += " AND m.phone_bidx = ?";
                params.emplace_back(Blob{vault.BlindIndex("phone", phone.value_or("invalid:" + q))});
            } else if (q.find('@') != std::string::npos) {
                where += " AND m.email_bidx = ?";
                params.emplace_back(Blob{vault.BlindIndex("email", NormalizeEmail(q))});
            } else if (IsMemberCodeShaped(q)) {
                // The rotating code from the member's phone: a stale or forged one finds nobody.
                where += " AND m.id = ?";
                params.emplace_back(ReadMemberCode(vault, q, NowUnix()).value_or(0));
            } else if ((q[0] == 'M' || q[0] == 'm') && q.size() == 9 && AllDigits(q.substr(1))) {
                where += " AND m.member_no = ?";
                q[0] = 'M';
                params.emplace_back(q);
            } else {
                // Substring of the name (also pinyin / initials, traditional folded): every
                // suffix is a search key, so a prefix range over keys finds it with an index.
                const std::string key = FoldQuery(q);
                query.name_key = key;
                where += " AND m.id IN (SELECT k.member_id FROM member_search_keys k WHERE k.key >= ? AND k.key < ?)";
                params.emplace_back(key);
                params.emplace_back(key + "\xF4\x8F\xBF\xBF");
            }
        }
    }

    const size_t base_length = where.size();
    auto int_filter = [&](const char* name, const char* clause, int64_t min, int64_t max) {
        if (auto v = get(name); v && !v->empty()) {
            int64_t n = 0;
            if (!ParseInt(*v, n) || n < min || n > max) {
                bad(name, "field.out_of_range", {{"min", std::to_string(min)}, {"max", std::to_string(max)}});
            } else {
                where += clause;
                params.emplace_back(n);
            }
        }
    };
    auto choice_filter = [&](const char* name, const char* column, std::initializer_list<const char*> choices) {
        if (auto v = get(name); v && !v->empty()) {
            std::string list;
            for (const char* c : choices) {
                if (*v == c) {
                    where += std::string(" AND ") + column + " = ?";
                    params.emplace_back(*v);
                    return;
                }
                list += (list.empty() ? "" : ", ") + std::string(c);
            }
            bad(name, "field.invalid_choice", {{"choices", list}});
        }
    };
    int_filter("store_id", " AND m.home_store_id = ?", 1, INT64_MAX);
    int_filter("guide_id", " AND m.guide_id = ?", 1, INT64_MAX);
    int_filter("birthday_month", " AND m.birth_month = ?", 1, 12);
    int_filter("tier_id", " AND m.tier_id = ?", 1, INT64_MAX);
    int_filter("spend_min", " AND m.total_spend >= ?", 0, INT64_MAX);
    int_filter("spend_max", " AND m.total_spend <= ?", 0, INT64_MAX);
    int_filter("purchases_min", " AND m.purchase_count >= ?", 0, INT64_MAX);
    int_filter("purchases_max", " AND m.purchase_count <= ?", 0, INT64_MAX);
    choice_filter("category", "m.category", {"regular", "vip", "wholesale"});
    choice_filter("source", "m.source", {"walk_in", "online", "referral", "event", "import"});
    choice_filter("gender", "m.gender", {"male", "female", "unknown"});
    const int year = CurrentYear();
    if (auto v = get("age_min"); v && !v->empty()) {
        int64_t n = 0;
        if (!ParseInt(*v, n) || n < 0 || n > 150) bad("age_min", "field.out_of_range", {{"min", "0"}, {"max", "150"}});
        else {
            where += " AND m.birth_year <= ?";
            params.emplace_back(year - n);
        }
    }
    if (auto v = get("age_max"); v && !v->empty()) {
        int64_t n = 0;
        if (!ParseInt(*v, n) || n < 0 || n > 150) bad("age_max", "field.out_of_range", {{"min", "0"}, {"max", "150"}});
        else {
            where += " AND m.birth_year >= ?";
            params.emplace_back(year - n);
        }
    }
    for (const char* bound : {"last_purchase_from", "last_purchase_to"}) {
        if (auto v = get(bound); v && !v->empty()) {
            auto day = ParseIsoDate(*v);
            if (!day) {
                bad(bound, "field.invalid_date");
            } else {
                const bool from = std::string_view(bound).ends_with("from");
                where += from ? " AND m.last_purchase_at >= ?" : " AND m.last_purchase_at < ?";
                params.emplace_back(from ? *day : *day + 86400);
            }
        }
    }
    for (const char* bound : {"created_from", "created_to"}) {
        if (auto v = get(bound); v && !v->empty()) {
            auto day = ParseIsoDate(*v);
            if (!day) {
                bad(bound, "field.invalid_date");
            } else {
                where += bound[8] == 'f' ? " AND m.created_at >= ?" : " AND m.created_at < ?";
                params.emplace_back(bound[8] == 'f' ? *day : *day + 86400);
            }
        }
    }
    if (auto v = get("consent"); v && !v->empty()) {
        if (*v != "sms" && *v != "email" && *v != "wechat") {
            bad("consent", "field.invalid_choice", {{"choices", "sms, email, wechat"}});
        } else {
            where +=
                " AND (SELECT c.granted FROM member_consents c WHERE c.member_id = m.id AND c.channel = ? "
                "AND c.purpose = 'marketing' ORDER BY c.id DESC LIMIT 1) = 1";
            params.emplace_back(*v);
        }
    }
    if (auto v = get("tags"); v && !v->empty()) {
        std::vector<int64_t> ids;
        std::string text = *v;
        size_t start = 0;
        bool ok = true;
        while (start <= text.size()) {
            size_t end = text.find(',', start);
            if (end == std::string::npos) end = text.size();
            int64_t id = 0;
            if (!ParseInt(text.substr(start, end - start), id) || id <= 0) ok = false;
            else ids.push_back(id);
            start = end + 1;
        }
        const std::string mode = get("tags_mode").value_or("any");
        if (!ok || ids.size() > 50) {
            bad("tags", "field.must_be_integer");
        } else if (mode != "any" && mode != "all") {
            bad("tags_mode", "field.invalid_choice", {{"choices", "any, all"}});
        } else if (mode == "any") {
            where += " AND m.id IN (SELECT mt.member_id FROM member_tags mt WHERE mt.tag_id IN (";
            for (size_t i = 0; i < ids.size(); ++i) {
                where += i ? ", ?" : "?";
                params.emplace_back(ids[i]);
            }
            where += "))";
        } else {
            for (int64_t id : ids) {
                where += " AND m.id IN (SELECT mt.member_id FROM member_tags mt WHERE mt.tag_id = ?)";
                params.emplace_back(id);
            }
        }
    }
    // Custom fields: cf.<key>=value matches a single value or membership in a multi-choice list.
    for (const auto& [key, value] : custom_filters) {
        bool valid_key = !key.empty() && key.size() <= 32 &&
                         key.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos;
        if (!valid_key) {
            bad("cf." + key, "field.custom_field_unknown");
            continue;
        }
        if (value.empty()) continue;
        if (dialect == storage::Dialect::kSqlite) {
            where += " AND EXISTS (SELECT 1 FROM json_each(m.custom_fields, ?) j WHERE CAST(j.value AS TEXT) = ?)";
        } else {
            where += " AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(CASE jsonb_typeof(m.custom_fields::jsonb #> "
                     "string_to_array(?, ',')) WHEN 'array' THEN m.custom_fields::jsonb #> string_to_array(?, ',') "
                     "ELSE jsonb_build_array(m.custom_fields::jsonb #> string_to_array(?, ',')) END) j WHERE j = ?)";
        }
        if (dialect == storage::Dialect::kSqlite) {
            params.emplace_back("$.\"" + key + "\"");
        } else {
            params.insert(params.end(), {key, key, key});
        }
        params.emplace_back(value);
    }
    query.where = where;
    query.other_filters = where.size() != base_length;
    query.explicit_sort = get("sort").has_value();

    static const std::map<std::string, std::string> kSortColumns = {
        {"name", "m.name_pinyin"},     {"member_no", "m.member_no"}, {"created_at", "m.created_at"},
        {"updated_at", "m.updated_at"}, {"category", "m.category"},   {"gender", "m.gender"},
        {"home_store_id", "m.home_store_id"}, {"total_spend", "m.total_spend"},
        {"purchase_count", "m.purchase_count"}, {"last_purchase_at", "COALESCE(m.last_purchase_at, 0)"},
        {"points_balance", "m.points_balance"},
        {"average_order_value", "CASE WHEN m.purchase_count > 0 THEN m.total_spend / m.purchase_count ELSE 0 END"}};
    std::string sort = get("sort").value_or("-created_at");
    bool descending = !sort.empty() && sort[0] == '-';
    if (descending) sort = sort.substr(1);
    auto column = kSortColumns.find(sort);
    if (column == kSortColumns.end()) {
        bad("sort", "field.invalid_sort");
    } else {
        const char* dir = descending ? " DESC" : " ASC";
        query.order_by = " ORDER BY " + column->second + dir + ", m.id" + dir;
    }
    if (!errors.empty()) return Error::Validation(std::move(errors));
    return query;
}

}  // namespace storecrm::members
