#pragma once

#include "http/router.hpp"

namespace storecrm::analytics {

void RegisterRfmRoutes(http::Router& router);  // /analytics/rfm, /analytics/rfm/members

}  // namespace storecrm::analytics
