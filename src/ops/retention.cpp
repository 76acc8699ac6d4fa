#include "ops/retention.hpp"

#include <algorithm>

#include "common/clock.hpp"
#include "common/phone.hpp"
#include "members/audience_epoch.hpp"
#include "members/member_repository.hpp"
#include "security/audit.hpp"
#include "storage/key_value.hpp"

namespace storecrm::ops {
namespace {

constexpr const char* kRuleKey = "privacy.retention";
constexpr const char* kLastRunKey = "privacy.retention.last_run";

// Active and archived members whose every trace of activity is older than the cutoff.
constexpr const char* kInactive =
    " FROM members m JOIN stores s ON s.id = m.home_store_id "
    "WHERE m.status IN ('active', 'archived') AND m.created_at < ? AND COALESCE(m.last_purchase_at, 0) < ? "
    "AND NOT EXISTS (SELECT 1 FROM interactions i WHERE i.member_id = m.id AND i.occurred_at >= ?) "
    "AND NOT EXISTS (SELECT 1 FROM member_sessions ms WHERE ms.member_id = m.id AND ms.last_seen_at >= ?)";

Status PutSetting(storage::Transaction& tx, const char* key, const std::string& value) {
    return storage::PutKeyValue(tx, "ops_settings", key, value);
}

Result<nlohmann::json> GetSetting(storage::Transaction& tx, const char* key) {
    auto value = storage::GetKeyValue(tx, "ops_settings", key);
    if (!value.ok()) return value.take_error();
    if (!value->has_value()) return nlohmann::json();
    auto parsed = nlohmann::json::parse(**value, nullptr, false);
    return parsed.is_object() ? parsed : nlohmann::json();
}

}  // namespace

Result<RetentionRule> LoadRetentionRule(storage::Transaction& tx) {
    RetentionRule rule;
    auto setting = GetSetting(tx, kRuleKey);
    if (!setting.ok()) return setting.take_error();
    const auto& d = *setting;
    if (!d.is_object()) return rule;
    rule.enabled = d.value("enabled", rule.enabled);
    rule.inactive_years = d.value("inactive_years", rule.inactive_years);
    return rule;
}

Status SaveRetentionRule(storage::Transaction& tx, const RetentionRule& rule) {
    return PutSetting(tx, kRuleKey,
                      nlohmann::json{{"enabled", rule.enabled}, {"inactive_years", rule.inactive_years}}.dump());
}

Result<nlohmann::json> LastRetentionRun(storage::Transaction& tx) {
    return GetSetting(tx, kLastRunKey);
}

int64_t RetentionCutoff(const RetentionRule& rule, int64_t now) {
    return now - static_cast<int64_t>(rule.inactive_years) * 365 * 86400 - (rule.inactive_years / 4) * 86400;
}

Result<nlohmann::json> RetentionCandidates(storage::Transaction& tx, int64_t cutoff, int64_t limit, int64_t offset,
                                           int64_t* total) {
    const storage::Params where = {cutoff, cutoff, cutoff, cutoff};
    auto count = tx.QueryOne(std::string("SELECT COUNT(*)") + kInactive, where);
    if (!count.ok()) return count.take_error();
    *total = (*count)->Int(0);
    storage::Params params = where;
    params.push_back(limit);
    params.push_back(offset);
    auto rows = tx.Query(
        std::string("SELECT m.id, m.member_no, m.name, s.name, m.created_at, m.last_purchase_at, "
                    "(SELECT MAX(occurred_at) FROM interactions i WHERE i.member_id = m.id), "
                    "(SELECT MAX(last_seen_at) FROM member_sessions ms WHERE ms.member_id = m.id)") +
            kInactive + " ORDER BY m.id LIMIT ? OFFSET ?",
        params);
    if (!rows.ok()) return rows.take_error();
    nlohmann::json items = nlohmann::json::array();
    for (const auto& r : *rows) {
        int64_t last = r.Int(4);
        for (int c = 5; c <= 7; ++c) {
            if (!r.IsNull(c)) last = std::max(last, r.Int(c));
        }
        items.push_back({{"id", r.Int(0)},
                         {"member_no", r.Text(1)},
                         {"name", MaskText(r.Text(2), 1)},
                         {"store_name", r.Text(3)},
                         {"last_activity_at", FormatIsoUtc(last)}});
    }
    return items;
}

Status ApplyRetention(storage::Database& db, const security::FieldVault& vault) {
    const int64_t now = NowUnix();
    RetentionRule rule;
    {
        auto tx = db.Begin(storage::TxMode::kRead);
        if (!tx.ok()) return tx.take_error();
        auto loaded = LoadRetentionRule(**tx);
        if (!loaded.ok()) return loaded.take_error();
        rule = *loaded;
    }
    if (!rule.enabled) return Ok();
    const int64_t cutoff = RetentionCutoff(rule, now);
    security::Principal system;
    system.kind = security::Principal::Kind::kSystem;
    system.name = "retention rule";
    int64_t anonymised = 0;
    for (;;) {  // batches of 500, each its own transaction, so the writer is not held for long
        auto tx = db.Begin(storage::TxMode::kWrite);
        if (!tx.ok()) return tx.take_error();
        auto ids = (*tx)->Query(std::string("SELECT m.id") + kInactive + " ORDER BY m.id LIMIT 500",
                                {cutoff, cutoff, cutoff, cutoff});
        if (!ids.ok()) return ids.take_error();
        if (ids->empty()) break;
        members::MemberRepository repo(**tx, vault);
        for (const auto& r : *ids) STORECRM_TRY(repo.Anonymize(r.Int(0), system));
        STORECRM_TRY((*tx)->Commit());
        anonymised += static_cast<int64_t>(ids->size());
    }
    auto tx = db.Begin(storage::TxMode::kWrite);
    if (!tx.ok()) return tx.take_error();
    STORECRM_TRY(PutSetting(**tx, kLastRunKey,
                            nlohmann::json{{"at", FormatIsoUtc(now)}, {"anonymised", anonymised}}.dump()));
    if (anonymised > 0) {
        STORECRM_TRY(members::BumpAudienceEpoch(**tx));
        STORECRM_TRY(security::WriteAudit(**tx, system, "", {"privacy.retention", "member", "",
                                                             nlohmann::json{{"anonymised", anonymised},
                                                                            {"inactive_years", rule.inactive_years}}
                                                                 .dump()}));
    }
    return (*tx)->Commit();
}

}  // namespace storecrm::ops
