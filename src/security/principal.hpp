#pragma once
// Who is calling: a signed-in staff member (cookie session) or an integration (API token),
// with the permissions and store scope every route and query is limited by.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/messages.hpp"
#include "storage/database.hpp"

namespace storecrm::security {

struct Principal {
    enum class Kind { kAnonymous, kStaff, kApiToken, kSystem };
    Kind kind = Kind::kAnonymous;
    int64_t id = 0;  // staff id or API token id
    std::string name;
    std::string username;
    int64_t role_id = 0;
    int64_t session_id = 0;
    std::string csrf_token;
    bool must_change_password = false;
    bool must_enrol_totp = false;  // the role requires two-factor sign-in and it is off
    std::set<std::string, std::less<>> permissions;
    bool all_stores = false;
    std::vector<int64_t> store_ids;
    Locale locale = Locale::kZhCN;

    bool Has(std::string_view permission) const { return permissions.count(permission) > 0; }
    bool CanAccessStore(int64_t store_id) const;
    const char* KindName() const;
    // The staff member acting, for "operator" columns; nullopt for API tokens and the system.
    std::optional<int64_t> StaffId() const {
        return kind == Kind::kStaff ? std::optional<int64_t>(id) : std::nullopt;
    }
};

// Appends " AND <column> IN (?, ...)" (or nothing for all-store callers, or a clause matching
// nothing for a caller without stores) and its parameters.
std::string StoreScopeClause(const Principal& principal, std::string_view column, storage::Params& params);

}  // namespace storecrm::security
