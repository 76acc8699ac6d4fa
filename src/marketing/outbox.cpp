#include "marketing/outbox.hpp"

#include <algorithm>
#include <map>

#include "common/clock.hpp"
#include "marketing/campaigns.hpp"
#include "marketing/channels.hpp"
#include "marketing/marketing_settings.hpp"

namespace storecrm::marketing {
namespace {

constexpr int64_t kLeaseSeconds = 120;
constexpr int64_t kClaimBatch = 100;

struct Claimed {
    int64_t id = 0;
    std::optional<int64_t> member_id;
    std::string channel, purpose, subject, body;
    std::string address;  // decrypted
    int attempts = 0;
    bool consent = true;  // for marketing messages: consent still in force
};

struct Result1 {
    int64_t id;
    SendResult result;
    int attempts;
};

// Claims up to a batch of due messages, within each channel's per-minute limit.
Result<std::vector<Claimed>> Claim(Services& services, const MarketingSettings& s, int64_t now) {
    auto tx = services.db->Begin(storage::TxMode::kWrite);
    if (!tx.ok()) return tx.take_error();
    auto recent = (*tx)->Query("SELECT channel, COUNT(*) FROM messages WHERE status = 'sent' AND sent_at >= ? GROUP BY channel",
                               {now - 60});
    if (!recent.ok()) return recent.take_error();
    std::map<std::string, int64_t> room = {{"sms", s.sms_per_minute}, {"email", s.email_per_minute},
                                           {"wechat", 1000000}, {"file", 1000000}};
    for (const auto& r : *recent) {
        if (room.count(r.Text(0))) room[r.Text(0)] -= r.Int(1);
    }
    std::string channels;
    for (const auto& [channel, left] : room) {
        if (left > 0) channels += (channels.empty() ? "'" : ", '") + channel + "'";
    }
    if (channels.empty()) return std::vector<Claimed>{};
    auto ids = (*tx)->Query("SELECT id, channel FROM messages WHERE ((status = 'queued' AND not_before <= ?) OR "
                            "(status = 'sending' AND lease_until < ?)) AND channel IN (" + channels +
                                ") ORDER BY id LIMIT ?",
                            {now, now, kClaimBatch});
    if (!ids.ok()) return ids.take_error();
    storage::Params params{now + kLeaseSeconds, now};
    for (const auto& r : *ids) {
        if (room[r.Text(1)]-- <= 0) continue;
        params.emplace_back(r.Int(0));
    }
    const std::string in = storage::PaddedInList(params, 2);
    if (in.empty()) return std::vector<Claimed>{};
    auto claimed = (*tx)->Query(
        "UPDATE messages SET status = 'sending', lease_until = ?, attempts = attempts + 1 WHERE (status = 'queued' OR "
        "(status = 'sending' AND lease_until < ?)) AND id IN (" + in + ") RETURNING id",
        params);
    if (!claimed.ok()) return claimed.take_error();
    storage::Params got;
    for (const auto& r : *claimed) got.emplace_back(r.Int(0));
    const std::string got_in = storage::PaddedInList(got, 0);
    std::vector<Claimed> out;
    if (!got_in.empty()) {
        auto rows = (*tx)->Query(
            "SELECT g.id, g.member_id, g.channel, g.purpose, g.subject, g.body, g.attempts, g.recipient_enc, m.phone_enc, "
            "m.email_enc, m.wechat_enc, (SELECT c.granted FROM member_consents c WHERE c.member_id = g.member_id AND "
            "c.channel = g.channel AND c.purpose = 'marketing' ORDER BY c.id DESC LIMIT 1) FROM messages g LEFT JOIN members m "
            "ON m.id = g.member_id WHERE g.id IN (" + got_in + ") ORDER BY g.id",
            got);
        if (!rows.ok()) return rows.take_error();
        for (const auto& r : *rows) {
            Claimed c{r.Int(0), r.OptInt(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), "", static_cast<int>(r.Int(6))};
            std::string enc = r.BlobBytes(7);
            if (enc.empty()) enc = r.BlobBytes(c.channel == "email" ? 9 : c.channel == "wechat" ? 10 : 8);
            c.address = enc.empty() ? "" : services.vault->Decrypt(enc).value_or("");
            if (c.purpose == "marketing") c.consent = !r.IsNull(11) && r.Int(11) != 0;
            out.push_back(std::move(c));
        }
    }
    STORECRM_TRY((*tx)->Commit());
    return out;
}

Status Record(Services& services, const std::vector<Result1>& results, const std::vector<int64_t>& suppressed, int64_t now,
              DeliveryOutcome& out) {
    auto tx = services.db->Begin(storage::TxMode::kWrite);
    if (!tx.ok()) return tx.take_error();
    for (int64_t id : suppressed) {
        STORECRM_TRY((*tx)->Defer("UPDATE messages SET status = 'suppressed', lease_until = NULL, last_error = "
                                  "'consent withdrawn' WHERE id = ? AND status = 'sending'",
                                  {id}));
        ++out.suppressed;
    }
    for (const auto& r : results) {
        if (r.result.ok) {
            STORECRM_TRY((*tx)->Defer("UPDATE messages SET status = 'sent', sent_at = ?, lease_until = NULL, last_error = '' "
                                      "WHERE id = ?",
                                      {now, r.id}));
            ++out.sent;
        } else if (r.result.retry && r.attempts < kMaxAttempts) {
            STORECRM_TRY((*tx)->Defer("UPDATE messages SET status = 'queued', not_before = ?, lease_until = NULL, "
                                      "last_error = ? WHERE id = ?",
                                      {now + RetryDelay(r.attempts), r.result.error.substr(0, 200), r.id}));
            ++out.retried;
        } else {
            STORECRM_TRY((*tx)->Defer("UPDATE messages SET status = 'failed', lease_until = NULL, last_error = ? WHERE id = ?",
                                      {r.result.error.substr(0, 200), r.id}));
            ++out.failed;
        }
    }
    return (*tx)->Commit();
}

}  // namespace

int64_t RetryDelay(int attempts) {
    int64_t delay = 30;
    for (int i = 1; i < attempts && delay < 3600; ++i) delay *= 2;
    return std::min<int64_t>(delay, 3600);
}

Result<DeliveryOutcome> DeliverMessages(Services& services, int64_t budget_seconds) {
    DeliveryOutcome out;
    const int64_t started = NowUnix();
    MarketingSettings settings;
    {
        auto tx = services.db->Begin(storage::TxMode::kRead);
        if (!tx.ok()) return tx.take_error();
        auto s = LoadMarketingSettings(**tx, *services.vault);
        if (!s.ok()) return s.take_error();
        settings = std::move(*s);
    }
    std::unique_ptr<Channel> smtp, sms, wechat = MakeWechatAdapter();
    if (settings.email_mode == "smtp") {
        smtp = MakeSmtpChannel({settings.smtp_url, settings.smtp_from, settings.smtp_username, settings.smtp_password});
    }
    if (settings.sms_mode == "http") sms = MakeSmsGateway({settings.sms_url, settings.sms_sender, settings.sms_secret});
    while (NowUnix() - started < budget_seconds) {
        const int64_t now = NowUnix();
        auto batch = Claim(services, settings, now);
        if (!batch.ok()) return batch.take_error();
        if (batch->empty()) break;
        std::vector<Result1> results;
        std::vector<int64_t> suppressed;
        for (const auto& m : *batch) {
            if (!m.consent) {
                suppressed.push_back(m.id);
                continue;
            }
            Channel* channel = m.channel == "email" ? smtp.get() : m.channel == "sms" ? sms.get()
                             : m.channel == "wechat" ? wechat.get() : nullptr;
            SendResult r;
            if (!channel) {
                r.ok = true;  // the file channel: the message log is the delivery
            } else if (m.address.empty()) {
                r.error = "no address";
            } else {
                Outgoing o{m.id, m.address, m.subject, m.body, ""};
                if (m.channel == "email" && m.purpose == "marketing" && m.member_id) {
                    o.unsubscribe_url = settings.public_base_url + "/api/v1/public/unsubscribe/" +
                                        UnsubscribeToken(*services.vault, *m.member_id, "email");
                }
                r = channel->Send(o);
            }
            results.push_back({m.id, r, m.attempts});
        }
        STORECRM_TRY(Record(services, results, suppressed, NowUnix(), out));
    }
    return out;
}

}  // namespace storecrm::marketing
