#pragma once
// Turns the member list's query (one search box plus advanced filters) into SQL. The same
// filter drives the list, the CSV export and bulk tagging, so all three always agree.

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/error.hpp"
#include "security/crypto.hpp"
#include "security/principal.hpp"
#include "storage/database.hpp"

namespace storecrm::members {

using ParamGetter = std::function<std::optional<std::string>(const std::string&)>;
using CustomFilters = std::vector<std::pair<std::string, std::string>>;  // cf.<key>=value, key without "cf."

struct MemberQuery {
    std::string where;  // " WHERE ..." over members m
    storage::Params params;
    std::string order_by;  // " ORDER BY ..."
    std::string status;    // active | archived | anonymized | all
    // Set when q is a name, pinyin or initials query: the folded prefix to range over
    // member_search_keys. With no sort and no other filter, a name search is answered from
    // that index alone, best match first (see ListMembers).
    std::optional<std::string> name_key;
    bool other_filters = false;  // any filter besides q, status and the store scope
    bool explicit_sort = false;
};

// Validates every parameter; unknown values are field errors named after the parameter.
Result<MemberQuery> BuildMemberQuery(const ParamGetter& get, const CustomFilters& custom_filters,
                                     const security::Principal& principal,
                                     const security::FieldVault& vault, storage::Dialect dialect);

// The names BuildMemberQuery understands (besides "cf.<key>"), for the bulk-tag filter object.
bool IsMemberFilterName(const std::string& name);

}  // namespace storecrm::members
