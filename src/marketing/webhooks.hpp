#pragma once
// Webhooks out: an admin subscribes a URL to domain event types; each event becomes one
// delivery per subscriber (fanned out past a watermark), POSTed HMAC-signed with the
// subscription's secret, retried with back-off, and logged with the receiver's answer.

#include <cstdint>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "http/services.hpp"
#include "members/member.hpp"

namespace storecrm::marketing {

const std::vector<std::string>& WebhookEventTypes();

struct WebhookOutcome {
    int64_t fanned_out = 0, delivered = 0, failed = 0, retried = 0;
};
// Fans new events out to subscriptions and delivers what is due, within `budget_seconds`.
Result<WebhookOutcome> RunWebhooks(Services& services, int64_t budget_seconds = 50);

// Member-saved hook: member.created / member.updated events.
Status PublishMemberSaved(storage::Transaction& tx, const members::MemberRecord& member, bool created);

}  // namespace storecrm::marketing
