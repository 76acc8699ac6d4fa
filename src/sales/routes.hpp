#pragma once

#include "http/router.hpp"

namespace storecrm::sales {

void RegisterSaleRoutes(http::Router& router);     // /sales..., /members/{id}/sales
void RegisterReceiptRoutes(http::Router& router);  // /receipt-template

}  // namespace storecrm::sales
