// The marketing domain's scheduled jobs and its part of a member merge.
#include <spdlog/spdlog.h>

#include "common/clock.hpp"
#include "http/services.hpp"
#include "marketing/campaigns.hpp"
#include "marketing/member_values.hpp"
#include "marketing/outbox.hpp"
#include "marketing/routes.hpp"
#include "marketing/tag_rules.hpp"
#include "marketing/webhooks.hpp"
#include "members/audience_epoch.hpp"

namespace storecrm::marketing {

void AddMarketingJobs(jobs::Scheduler& scheduler, Services& services) {
    scheduler.Add({"marketing.values", 86400, [&services](storage::Database& db) -> Status {
                       if (!services.analytics) return Ok();
                       auto changed = RecomputeAllValues(db, *services.analytics, NowUnix());
                       if (!changed.ok()) return changed.take_error();
                       auto tagged = ApplyTagRules(services, NowUnix(), nullptr);
                       if (!tagged.ok()) return tagged.take_error();
                       spdlog::info("marketing.values: {} values changed; tag rules +{} -{}", *changed, tagged->added,
                                    tagged->removed);
                       return Ok();
                   }});
    scheduler.Add({"marketing.after_sales", 60, [&services](storage::Database&) -> Status {
                       auto n = FollowSales(services, NowUnix());
                       return n.ok() ? Ok() : Status(n.take_error());
                   }});
    scheduler.Add({"campaigns.dispatch", 60, [&services](storage::Database&) -> Status {
                       auto n = DispatchCampaigns(services, NowUnix());
                       if (!n.ok()) return n.take_error();
                       if (n->runs) spdlog::info("campaigns.dispatch: {} runs, {} recipients, {} queued", n->runs, n->recipients, n->queued);
                       return Ok();
                   }});
    scheduler.Add({"messages.deliver", 10, [&services](storage::Database&) -> Status {
                       auto n = DeliverMessages(services);
                       return n.ok() ? Ok() : Status(n.take_error());
                   }});
    scheduler.Add({"webhooks.deliver", 10, [&services](storage::Database&) -> Status {
                       auto n = RunWebhooks(services);
                       return n.ok() ? Ok() : Status(n.take_error());
                   }});
}

Status MoveMemberMarketing(storage::Transaction& tx, int64_t from, int64_t to) {
    STORECRM_TRY(tx.Exec("DELETE FROM member_values WHERE member_id = ?", {from}));
    STORECRM_TRY(tx.Exec(
        "DELETE FROM campaign_recipients WHERE member_id = ? AND EXISTS (SELECT 1 FROM campaign_recipients c WHERE "
        "c.member_id = ? AND c.campaign_id = campaign_recipients.campaign_id AND c.occasion = campaign_recipients.occasion)",
        {from, to}));
    STORECRM_TRY(tx.Exec("UPDATE campaign_recipients SET member_id = ? WHERE member_id = ?", {to, from}));
    return members::BumpAudienceEpoch(tx);
}

}  // namespace storecrm::marketing
