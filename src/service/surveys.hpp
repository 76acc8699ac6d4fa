#pragma once
// Surveys 反馈: questions, signed one-answer links, and the job that sends a link after each
// sale with a member when an after-sale survey is active.

#include <cstdint>
#include <optional>
#include <string>

#include "common/error.hpp"
#include "security/crypto.hpp"
#include "storage/database.hpp"

namespace storecrm::service {

inline constexpr int64_t kSurveyLinkLifetimeSeconds = 30 * 86400;

// "<link id>.<keyed MAC of the id>": unguessable, and checked without a lookup by token.
std::string SurveyToken(const security::FieldVault& vault, int64_t link_id);
// The link id a token names, when its MAC is right.
std::optional<int64_t> SurveyLinkIdFromToken(const security::FieldVault& vault, const std::string& token);

struct SurveyLinkRequest {
    int64_t survey_id = 0;
    std::optional<int64_t> member_id;
    int64_t store_id = 0;
    std::optional<int64_t> staff_id;
    std::optional<int64_t> sale_id;
    std::optional<int64_t> event_id;
};
Result<int64_t> CreateSurveyLink(storage::Transaction& tx, const SurveyLinkRequest& request, int64_t now);

// Links (and queued messages) for sales since the last run. Returns the links made.
Result<int64_t> SendAfterSaleSurveys(storage::Transaction& tx, const security::FieldVault& vault, int64_t now);

}  // namespace storecrm::service
