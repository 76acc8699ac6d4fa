#pragma once
// The data-retention rule 数据保留: members with no purchase, visit (interaction) or sign-in
// to their own pages for `inactive_years` are anonymised as a deletion request would be.
// Off by default; the admin sees who it would take before turning it on.

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "security/crypto.hpp"
#include "storage/database.hpp"

namespace storecrm::ops {

struct RetentionRule {
    bool enabled = false;
    int inactive_years = 3;
};

Result<RetentionRule> LoadRetentionRule(storage::Transaction& tx);
Status SaveRetentionRule(storage::Transaction& tx, const RetentionRule& rule);
Result<nlohmann::json> LastRetentionRun(storage::Transaction& tx);

// The oldest activity a member may have and still be kept, for a rule applied at `now`.
int64_t RetentionCutoff(const RetentionRule& rule, int64_t now);

// Members the rule takes at `cutoff`: {id, member_no, name (masked), store_name, last_activity_at}.
Result<nlohmann::json> RetentionCandidates(storage::Transaction& tx, int64_t cutoff, int64_t limit, int64_t offset,
                                           int64_t* total);

// The daily job: anonymises what the rule takes (when enabled), in batches, and records the run.
Status ApplyRetention(storage::Database& db, const security::FieldVault& vault);

}  // namespace storecrm::ops
