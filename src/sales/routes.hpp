#pragma once

#include "http/router.hpp"

namespace storecrm::sales {

void RegisterSaleRoutes(http::Router& router);  // /sales..., /members/{id}/sales

}  // namespace storecrm::sales
