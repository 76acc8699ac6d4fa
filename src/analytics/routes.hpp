#pragma once

#include "http/router.hpp"

namespace storecrm::analytics {

void RegisterRfmRoutes(http::Router& router);     // /analytics/rfm, /analytics/rfm/members
void RegisterReportRoutes(http::Router& router);  // /analytics/sales, /analytics/cohorts, /analytics/members
void RegisterBasketRoutes(http::Router& router);  // /analytics/baskets
void RegisterSegmentationRoutes(http::Router& router);  // /analytics/correlation, /analytics/clusters
void RegisterPredictionRoutes(http::Router& router);    // /analytics/prediction, /members/{id}/prediction
void RegisterPeopleRoutes(http::Router& router);        // /analytics/satisfaction, /analytics/staff
void RegisterForecastRoutes(http::Router& router);      // /analytics/forecast

}  // namespace storecrm::analytics
