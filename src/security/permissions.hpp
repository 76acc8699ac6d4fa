#pragma once
// The permission catalog and the built-in roles. Roles are data (table `roles`); these are the
// codes a role may hold and the roles a new database starts with. When adding a permission,
// add it here, to the roles that should get it, and to docs/api.md.

#include <string>
#include <string_view>
#include <vector>

namespace storecrm::security {

struct PermissionInfo {
    const char* code;
    const char* group;
    const char* name_zh;
    const char* name_en;
};

const std::vector<PermissionInfo>& AllPermissions();
bool IsKnownPermission(std::string_view code);

struct BuiltinRole {
    const char* code;
    const char* name_zh;
    bool all_stores;
    std::vector<std::string> permissions;
};

const std::vector<BuiltinRole>& BuiltinRoles();

}  // namespace storecrm::security
