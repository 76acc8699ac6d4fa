#pragma once
// Domain events: appended in the transaction of the change they describe (no event without its
// change, no change without its event), read later by consumers such as webhooks. Payloads
// carry ids and amounts, never personal data: a subscriber fetches what it may see by API.

#include <cstdint>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "common/error.hpp"
#include "storage/database.hpp"

namespace storecrm::jobs {

// member.created, member.updated, sale.completed, sale.refunded, tier.changed,
// complaint.escalated.
Status PublishEvent(storage::Transaction& tx, std::string_view type, int64_t entity_id, const nlohmann::json& data,
                    int64_t now);

}  // namespace storecrm::jobs
