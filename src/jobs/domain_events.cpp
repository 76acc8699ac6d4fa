#include "jobs/domain_events.hpp"

#include <nlohmann/json.hpp>

namespace storecrm::jobs {

Status PublishEvent(storage::Transaction& tx, std::string_view type, int64_t entity_id, const nlohmann::json& data,
                    int64_t now) {
    return tx.Defer("INSERT INTO domain_events (type, entity_id, payload, at) VALUES (?, ?, ?, ?)",
                    {std::string(type), entity_id, data.dump(), now});
}

}  // namespace storecrm::jobs
