#pragma once

#include "http/router.hpp"
#include "jobs/scheduler.hpp"

namespace storecrm::loyalty {

void RegisterTierRoutes(http::Router& router);     // /tiers, /members/{id}/tier
void RegisterPointsRoutes(http::Router& router);   // /loyalty/settings, /members/{id}/points
void RegisterCouponRoutes(http::Router& router);   // /coupon-templates, /coupons, /members/{id}/coupons
void RegisterMallRoutes(http::Router& router);     // /gifts, /members/{id}/redemptions, /members/{id}/checkins

// Loyalty jobs: expire points lots and coupons, review tiers, birthday-month gifts.
void AddLoyaltyJobs(jobs::Scheduler& scheduler);

}  // namespace storecrm::loyalty
