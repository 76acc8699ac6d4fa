#include "security/principal.hpp"

#include <algorithm>

namespace storecrm::security {

bool Principal::CanAccessStore(int64_t store_id) const {
    return all_stores || std::find(store_ids.begin(), store_ids.end(), store_id) != store_ids.end();
}

const char* Principal::KindName() const {
    switch (kind) {
        case Kind::kStaff: return "staff";
        case Kind::kApiToken: return "api_token";
        case Kind::kSystem: return "system";
        case Kind::kAnonymous: return "anonymous";
    }
    return "anonymous";
}

std::string StoreScopeClause(const Principal& principal, std::string_view column, storage::Params& params) {
    if (principal.all_stores) return {};
    if (principal.store_ids.empty()) return " AND 1 = 0";
    std::string clause = " AND " + std::string(column) + " IN (";
    for (size_t i = 0; i < principal.store_ids.size(); ++i) {
        clause += i ? ", ?" : "?";
        params.emplace_back(principal.store_ids[i]);
    }
    return clause + ")";
}

}  // namespace storecrm::security
