#include "marketing/webhooks.hpp"

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "jobs/domain_events.hpp"
#include "marketing/channels.hpp"
#include "marketing/outbox.hpp"

namespace storecrm::marketing {
namespace {

using nlohmann::json;

constexpr int64_t kSettleSeconds = 5;
constexpr int64_t kLeaseSeconds = 60;
constexpr int kMaxWebhookAttempts = 8;
constexpr int64_t kKeepSeconds = 30 * 86400;

bool Subscribed(const std::string& events_json, const std::string& type) {
    auto events = json::parse(events_json, nullptr, false);
    if (!events.is_array()) return false;
    for (const auto& e : events) {
        if (e == "*" || e == type) return true;
    }
    return false;
}

Result<int64_t> FanOut(Services& services, int64_t now) {
    auto tx = services.db->Begin(storage::TxMode::kWrite);
    if (!tx.ok()) return tx.take_error();
    auto mark = (*tx)->QueryOne("SELECT value FROM sequences WHERE name = 'webhooks.fanout'");
    if (!mark.ok()) return mark.take_error();
    const int64_t after = mark->has_value() ? (*mark)->Int(0) : 0;
    // On PostgreSQL a smaller id may commit after a larger one: stop at the first event
    // younger than a few seconds so none is passed over.
    const int64_t settled = services.db->dialect() == storage::Dialect::kPostgres ? now - kSettleSeconds : INT64_MAX;
    auto events = (*tx)->Query("SELECT id, type, at FROM domain_events WHERE id > ? ORDER BY id LIMIT 2000", {after});
    if (!events.ok()) return events.take_error();
    auto hooks = (*tx)->Query("SELECT id, events, created_at FROM webhooks WHERE enabled = 1");
    if (!hooks.ok()) return hooks.take_error();
    int64_t last = after, fanned = 0;
    for (const auto& e : *events) {
        if (e.Int(2) >= settled) break;
        last = e.Int(0);
        for (const auto& h : *hooks) {
            // A subscription hears what happens from its creation on.
            if (e.Int(2) < h.Int(2) || !Subscribed(h.Text(1), e.Text(1))) continue;
            STORECRM_TRY((*tx)->Defer("INSERT INTO webhook_deliveries (webhook_id, event_id, event_type, created_at) VALUES "
                                      "(?, ?, ?, ?) ON CONFLICT (webhook_id, event_id) DO NOTHING",
                                      {h.Int(0), e.Int(0), e.Text(1), now}));
            ++fanned;
        }
    }
    if (last != after) {
        STORECRM_TRY((*tx)->Defer("UPDATE sequences SET value = ? WHERE name = 'webhooks.fanout' AND value < ?", {last, last}));
    }
    // Keep a month of events and finished deliveries.
    STORECRM_TRY((*tx)->Defer("DELETE FROM webhook_deliveries WHERE status IN ('delivered', 'failed') AND created_at < ?",
                              {now - kKeepSeconds}));
    STORECRM_TRY((*tx)->Defer("DELETE FROM domain_events WHERE at < ? AND id <= ? AND NOT EXISTS (SELECT 1 FROM "
                              "webhook_deliveries d WHERE d.event_id = domain_events.id)",
                              {now - kKeepSeconds, last}));
    STORECRM_TRY((*tx)->Commit());
    return fanned;
}

struct Due {
    int64_t id, webhook_id, event_id;
    std::string url, secret, body;
    int attempts;
    std::string previous_secret;  // a rotated secret still honoured, or empty
};

Result<std::vector<Due>> ClaimDeliveries(Services& services, int64_t now) {
    auto tx = services.db->Begin(storage::TxMode::kWrite);
    if (!tx.ok()) return tx.take_error();
    auto claimed = (*tx)->Query(
        "UPDATE webhook_deliveries SET status = 'sending', lease_until = ?, attempts = attempts + 1 WHERE id IN (SELECT id "
        "FROM webhook_deliveries WHERE (status = 'queued' AND not_before <= ?) OR (status = 'sending' AND lease_until < ?) "
        "ORDER BY id LIMIT 50) AND (status = 'queued' OR lease_until < ?) RETURNING id",
        {now + kLeaseSeconds, now, now, now});
    if (!claimed.ok()) return claimed.take_error();
    std::vector<Due> out;
    for (const auto& c : *claimed) {
        auto row = (*tx)->QueryOne(
            "SELECT d.id, d.webhook_id, d.event_id, w.url, w.secret_enc, e.type, e.payload, e.at, d.attempts, "
            "CASE WHEN w.previous_secret_until > ? THEN w.previous_secret_enc END FROM "
            "webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id JOIN domain_events e ON e.id = d.event_id WHERE d.id = ?",
            {now, c.Int(0)});
        if (!row.ok()) return row.take_error();
        if (!row->has_value()) continue;
        const auto& r = **row;
        json body = {{"id", "evt_" + std::to_string(r.Int(2))}, {"type", r.Text(5)}, {"created_at", FormatIsoUtc(r.Int(7))},
                     {"data", json::parse(r.Text(6), nullptr, false)}};
        out.push_back({r.Int(0), r.Int(1), r.Int(2), r.Text(3), services.vault->Decrypt(r.BlobBytes(4)).value_or(""),
                       body.dump(), static_cast<int>(r.Int(8)),
                       r.IsNull(9) ? std::string() : services.vault->Decrypt(r.BlobBytes(9)).value_or("")});
    }
    STORECRM_TRY((*tx)->Commit());
    return out;
}

}  // namespace

const std::vector<std::string>& WebhookEventTypes() {
    static const std::vector<std::string> types = {"member.created", "member.updated", "sale.completed",
                                                   "sale.refunded",  "tier.changed",   "complaint.escalated",
                                                   "webhook.test"};
    return types;
}

Result<WebhookOutcome> RunWebhooks(Services& services, int64_t budget_seconds) {
    WebhookOutcome out;
    const int64_t started = NowUnix();
    auto fanned = FanOut(services, started);
    if (!fanned.ok()) return fanned.take_error();
    out.fanned_out = *fanned;
    while (NowUnix() - started < budget_seconds) {
        auto due = ClaimDeliveries(services, NowUnix());
        if (!due.ok()) return due.take_error();
        if (due->empty()) break;
        std::vector<std::pair<const Due*, SendResult>> results;
        for (const auto& d : *due) {
            results.emplace_back(&d, PostSigned(d.url, d.secret, "evt_" + std::to_string(d.event_id), d.body, d.previous_secret));
        }
        auto tx = services.db->Begin(storage::TxMode::kWrite);
        if (!tx.ok()) return tx.take_error();
        const int64_t now = NowUnix();
        for (const auto& [d, r] : results) {
            if (r.ok) {
                STORECRM_TRY((*tx)->Defer("UPDATE webhook_deliveries SET status = 'delivered', delivered_at = ?, "
                                          "response_status = ?, last_error = '', lease_until = NULL WHERE id = ?",
                                          {now, static_cast<int64_t>(r.status), d->id}));
                ++out.delivered;
            } else if (r.retry && d->attempts < kMaxWebhookAttempts) {
                STORECRM_TRY((*tx)->Defer("UPDATE webhook_deliveries SET status = 'queued', not_before = ?, response_status = ?, "
                                          "last_error = ?, lease_until = NULL WHERE id = ?",
                                          {now + RetryDelay(d->attempts), static_cast<int64_t>(r.status), r.error.substr(0, 200), d->id}));
                ++out.retried;
            } else {
                STORECRM_TRY((*tx)->Defer("UPDATE webhook_deliveries SET status = 'failed', response_status = ?, last_error = ?, "
                                          "lease_until = NULL WHERE id = ?",
                                          {static_cast<int64_t>(r.status), r.error.substr(0, 200), d->id}));
                ++out.failed;
            }
        }
        STORECRM_TRY((*tx)->Commit());
    }
    return out;
}

Status PublishMemberSaved(storage::Transaction& tx, const members::MemberRecord& member, bool created) {
    return jobs::PublishEvent(tx, created ? "member.created" : "member.updated", member.id,
                              {{"member_id", member.id}, {"member_no", member.member_no},
                               {"home_store_id", member.home_store_id}, {"version", member.version}},
                              NowUnix());
}

}  // namespace storecrm::marketing
