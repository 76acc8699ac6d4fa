#pragma once

#include "http/router.hpp"
#include "jobs/scheduler.hpp"
#include "security/crypto.hpp"

namespace storecrm {
struct Services;
}

namespace storecrm::marketing {

void RegisterSegmentRoutes(http::Router& router);   // /segments, count, members, export, tag
void RegisterTagRuleRoutes(http::Router& router);   // /tag-rules, /members/{id}/values
void RegisterCampaignRoutes(http::Router& router);  // /campaigns, preview, test, submit, approve …
void RegisterCampaignResultRoutes(http::Router& router);  // /campaigns/{id}/results
void RegisterConsentRoutes(http::Router& router);   // unsubscribe links, SMS replies, /marketing/settings
void RegisterWebhookRoutes(http::Router& router);   // /webhooks, deliveries, test
void RegisterTargetRoutes(http::Router& router);    // /targets
void RegisterClusterSegmentRoutes(http::Router& router);  // /segments/from-cluster

// marketing.values (nightly: value groups and tag rules for all), marketing.after_sales (values
// and tag rules of members who just bought), campaigns.dispatch, messages.deliver,
// webhooks.deliver.
void AddMarketingJobs(jobs::Scheduler& scheduler, Services& services);

// Member-merge hook: campaign receipts and values follow the survivor.
Status MoveMemberMarketing(storage::Transaction& tx, int64_t from, int64_t to);

}  // namespace storecrm::marketing
