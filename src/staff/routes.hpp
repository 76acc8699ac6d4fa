#pragma once

#include "http/router.hpp"

namespace storecrm::staff {

void RegisterSessionRoutes(http::Router& router);  // /session, /me
void RegisterStaffRoutes(http::Router& router);    // /staff
void RegisterRoleRoutes(http::Router& router);     // /roles, /permissions
void RegisterApiTokenRoutes(http::Router& router); // /api-tokens
void RegisterAuditRoutes(http::Router& router);    // /audit
void RegisterTwoFactorRoutes(http::Router& router); // /me/totp, /staff/{id}/totp, /security/settings

}  // namespace storecrm::staff
