#include "app/wiring.hpp"


#include <filesystem>

#include <spdlog/spdlog.h>

#include "catalog/routes.hpp"
#include "loyalty/behaviour.hpp"
#include "loyalty/routes.hpp"
#include "members/routes.hpp"
#include "ops/imports.hpp"
#include "members/member_service.hpp"
#include "sales/routes.hpp"
#include "sales/sale_service.hpp"
#include "service/routes.hpp"
#include "analytics/routes.hpp"
#include "portal/routes.hpp"
#include "marketing/routes.hpp"
#include "marketing/webhooks.hpp"
#include "jobs/job_routes.hpp"
#include "staff/routes.hpp"
#include "storage/migrations.hpp"
#include "stores/routes.hpp"

namespace storecrm::app {

http::Router BuildRouter(const ops::OpsConfig& ops_config) {
    static const bool hooks_added = [] {
        members::AddMemberMergeHook(sales::MoveMemberActivity);
        members::AddMemberMergeHook(service::MoveMemberService);
        members::AddMemberMergeHook(marketing::MoveMemberMarketing);
        members::AddMemberSavedHook(loyalty::OnMemberSaved);
        members::AddMemberSavedHook(marketing::PublishMemberSaved);
        return true;
    }();
    (void)hooks_added;
    http::Router router;
    staff::RegisterSessionRoutes(router);
    stores::RegisterStoreRoutes(router);
    staff::RegisterStaffRoutes(router);
    staff::RegisterRoleRoutes(router);
    staff::RegisterApiTokenRoutes(router);
    staff::RegisterAuditRoutes(router);
    staff::RegisterTwoFactorRoutes(router);
    ops::RegisterOpsRoutes(router, ops_config);
    ops::RegisterImportRoutes(router);
    members::RegisterMemberRoutes(router);
    members::RegisterTagRoutes(router);
    members::RegisterCustomFieldRoutes(router);
    catalog::RegisterProductRoutes(router);
    catalog::RegisterStockRoutes(router);
    loyalty::RegisterTierRoutes(router);
    loyalty::RegisterPointsRoutes(router);
    loyalty::RegisterCouponRoutes(router);
    loyalty::RegisterMallRoutes(router);
    sales::RegisterSaleRoutes(router);
    sales::RegisterReceiptRoutes(router);
    service::RegisterInteractionRoutes(router);
    service::RegisterTaskRoutes(router);
    service::RegisterComplaintRoutes(router);
    service::RegisterSurveyRoutes(router);
    service::RegisterEventRoutes(router);
    service::RegisterTodoRoutes(router);
    service::RegisterServiceSettingsRoutes(router);
    service::RegisterAssigneeRoutes(router);
    jobs::RegisterJobRoutes(router);
    portal::RegisterPortalSessionRoutes(router);
    portal::RegisterPortalCardRoutes(router);
    portal::RegisterPortalStaffRoutes(router);
    analytics::RegisterRfmRoutes(router);
    analytics::RegisterReportRoutes(router);
    analytics::RegisterBasketRoutes(router);
    analytics::RegisterSegmentationRoutes(router);
    analytics::RegisterPredictionRoutes(router);
    analytics::RegisterPeopleRoutes(router);
    analytics::RegisterForecastRoutes(router);
    marketing::RegisterSegmentRoutes(router);
    marketing::RegisterTagRuleRoutes(router);
    marketing::RegisterCampaignRoutes(router);
    marketing::RegisterCampaignResultRoutes(router);
    marketing::RegisterConsentRoutes(router);
    marketing::RegisterWebhookRoutes(router);
    marketing::RegisterTargetRoutes(router);
    marketing::RegisterClusterSegmentRoutes(router);
    return router;
}

std::unique_ptr<storage::Database> OpenMigrated(const std::string& url, int pool_size) {
    auto db = storage::OpenDatabase(url, pool_size);
    if (!db.ok()) {
        spdlog::error("cannot open database {}: {}", url, db.error().internal_detail);
        return nullptr;
    }
    auto applied = storage::Migrate(**db);
    if (!applied.ok()) {
        spdlog::error("migration failed: {}", applied.error().internal_detail);
        return nullptr;
    }
    for (const auto& name : *applied) spdlog::info("applied migration {}", name);
    if (auto s = (*db)->RefreshStatistics(); !s.ok()) spdlog::warn("statistics not refreshed: {}", s.error().internal_detail);
    return std::move(db).value();
}

std::string DefaultKeyFile(const std::string& db_url) {
    if (db_url.find("://") != std::string::npos) return "./data/storecrm.key";
    std::filesystem::path p(db_url);
    return (p.has_parent_path() ? p.parent_path() / "storecrm.key" : std::filesystem::path("storecrm.key")).string();
}

}  // namespace storecrm::app
