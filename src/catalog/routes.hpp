#pragma once

#include "http/router.hpp"

namespace storecrm::catalog {

void RegisterProductRoutes(http::Router& router);   // /products, /product-categories
void RegisterStockRoutes(http::Router& router);     // /stock, /stock/adjustments, /stock/transfers, /stock/movements

}  // namespace storecrm::catalog
