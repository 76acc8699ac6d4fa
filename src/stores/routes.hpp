#pragma once

#include "http/router.hpp"

namespace storecrm::stores {

void RegisterStoreRoutes(http::Router& router);

}  // namespace storecrm::stores
