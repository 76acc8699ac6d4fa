#pragma once
// Campaigns 营销活动: an audience, a channel, a template and an optional coupon, sent now, at a
// time, on a weekly rhythm in each store's zone, or on a trigger. Sending is enqueuing: each
// member of a run gets one recipient row (queued, control, or skipped and why) and, if queued, a
// message in the outbox — in batches, each its own transaction, so a restart resumes a run
// where it stopped without sending anyone twice.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "http/services.hpp"
#include "storage/database.hpp"

namespace storecrm::marketing {

struct Campaign {
    int64_t id = 0;
    std::string name, status;
    std::optional<int64_t> segment_id;
    std::string rules;  // JSON of the audience rules
    std::string channel, subject, body;
    std::optional<int64_t> coupon_template_id;
    std::string schedule;  // now | at | recurring | trigger
    std::optional<int64_t> send_at;
    nlohmann::json detail;  // recurring {weekdays, time}; trigger {kind, days}
    int64_t control_pct = 10;
    int64_t result_days = 14;
    std::optional<int64_t> approved_at;
    int64_t created_at = 0, updated_at = 0;
};

inline constexpr const char* kCampaignColumns =
    "id, name, status, segment_id, rules, channel, subject, template, coupon_template_id, schedule, send_at, "
    "schedule_detail, control_pct, result_days, approved_at, created_at, updated_at";
Campaign CampaignFromRow(const storage::Row& r);

// Trigger kinds: welcome, birthday, days_since_purchase (days), tier_change, points_expiring
// (days ahead), cycle_due.
const std::vector<std::string>& TriggerKinds();

struct DispatchOutcome {
    int64_t runs = 0;
    int64_t recipients = 0;
    int64_t queued = 0;
};
// The job: starts what is due (one-off sends, recurring slots, trigger passes), resumes
// unfinished runs, and marks one-off campaigns done.
Result<DispatchOutcome> DispatchCampaigns(Services& services, int64_t now);

// The message a member would get (preview): {subject, body} rendered for them, with a
// placeholder coupon code when the campaign has a coupon.
// {next_best}: the name of each member's best next product (absent: none to suggest).
Result<std::unordered_map<uint32_t, std::string>> NextBestNames(Services& services, storage::Transaction& tx,
                                                                 const std::unordered_set<uint32_t>& members);
Result<nlohmann::json> PreviewFor(Services& services, storage::Transaction& tx, const Campaign& c, int64_t member_id,
                                  int64_t now);

// The signed token of an unsubscribe link, and back.
std::string UnsubscribeToken(const security::FieldVault& vault, int64_t member_id, const std::string& channel);
std::optional<std::pair<int64_t, std::string>> ReadUnsubscribeToken(const security::FieldVault& vault,
                                                                    const std::string& token);

}  // namespace storecrm::marketing
