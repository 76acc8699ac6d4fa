#pragma once

#include "http/router.hpp"

namespace storecrm::portal {

void RegisterPortalSessionRoutes(http::Router& router);  // /portal/join, /portal/otp, /portal/session(s)
void RegisterPortalCardRoutes(http::Router& router);     // /portal/me…
void RegisterPortalStaffRoutes(http::Router& router);    // join codes, deletion requests, message log

}  // namespace storecrm::portal
