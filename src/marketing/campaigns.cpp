#include "marketing/campaigns.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include <sodium.h>
#include <spdlog/spdlog.h>

#include "analytics/next_best.hpp"
#include "common/clock.hpp"
#include "common/money.hpp"
#include "loyalty/coupons.hpp"
#include "loyalty/local_time.hpp"
#include "marketing/audience.hpp"
#include "marketing/campaign_rules.hpp"
#include "marketing/marketing_settings.hpp"
#include "members/minors.hpp"
#include "service/business_hours.hpp"

namespace storecrm::marketing {
namespace {

using nlohmann::json;

constexpr int64_t kDay = 86400;
constexpr size_t kBatch = 1000;

struct Candidate {
    uint32_t member;
    std::string occasion;
};

Status Exec(storage::Transaction& tx, const std::string& sql, const storage::Params& params) {
    auto r = tx.Exec(sql, params);
    return r.ok() ? Ok() : Status(r.take_error());
}

// Who each member of a batch is, for filling the template and choosing the outcome.
struct MemberFacts {
    std::string name, tier, store, timezone;
    int64_t points = 0;
    int64_t birth_year = 0;
    bool minor = false;
    bool active = false, has_address = false, consent = false;
    int64_t recent_marketing = 0;
};

Result<std::unordered_map<uint32_t, MemberFacts>> LoadFacts(storage::Transaction& tx, const std::vector<Candidate>& batch,
                                                            const std::string& channel, int64_t now) {
    std::unordered_map<uint32_t, MemberFacts> facts;
    storage::Params ids;
    for (const auto& c : batch) {
        if (facts.emplace(c.member, MemberFacts{}).second) ids.emplace_back(static_cast<int64_t>(c.member));
    }
    const std::string in = storage::PaddedInList(ids, 0);
    const char* address = channel == "email" ? "m.email_enc" : channel == "sms" ? "m.phone_enc" : "m.wechat_enc";
    auto rows = tx.Query(std::string("SELECT m.id, m.name, COALESCE(t.name, ''), st.name, st.timezone, m.points_balance, "
                                     "COALESCE(m.birth_year, 0), m.status, COALESCE(m.birth_month, 0), ") +
                             address + " IS NOT NULL FROM members m JOIN stores st ON st.id = m.home_store_id "
                                       "LEFT JOIN tiers t ON t.id = m.tier_id WHERE m.id IN (" + in + ")",
                         ids);
    if (!rows.ok()) return rows.take_error();
    for (const auto& r : *rows) {
        auto& f = facts[static_cast<uint32_t>(r.Int(0))];
        f.name = r.Text(1);
        f.tier = r.Text(2);
        f.store = r.Text(3);
        f.timezone = r.Text(4);
        f.points = r.Int(5);
        f.birth_year = r.Int(6);
        f.active = r.Text(7) == "active";
        f.minor = members::IsMinor(static_cast<int>(f.birth_year), static_cast<int>(r.Int(8)), now);
        f.has_address = r.Int(9) != 0;
    }
    storage::Params consent_params{channel};
    consent_params.insert(consent_params.end(), ids.begin(), ids.end());
    auto consents = tx.Query("SELECT member_id, granted FROM member_consents WHERE channel = ? AND purpose = 'marketing' "
                             "AND member_id IN (" + in + ") ORDER BY id",
                             consent_params);
    if (!consents.ok()) return consents.take_error();
    for (const auto& r : *consents) facts[static_cast<uint32_t>(r.Int(0))].consent = r.Int(1) != 0;
    storage::Params cap_params{now - 7 * kDay};
    cap_params.insert(cap_params.end(), ids.begin(), ids.end());
    auto recent = tx.Query("SELECT member_id, COUNT(*) FROM messages WHERE purpose = 'marketing' AND status <> 'suppressed' "
                           "AND created_at >= ? AND member_id IN (" + in + ") GROUP BY member_id",
                           cap_params);
    if (!recent.ok()) return recent.take_error();
    for (const auto& r : *recent) facts[static_cast<uint32_t>(r.Int(0))].recent_marketing = r.Int(1);
    return facts;
}

std::string ChannelFooter(const Campaign& c, const MarketingSettings& settings, const security::FieldVault& vault,
                          int64_t member_id) {
    if (c.channel == "sms") return " 回TD退订";
    if (c.channel == "email") {
        return "\n\n--\n退订 / Unsubscribe: " + settings.public_base_url + "/api/v1/public/unsubscribe/" +
               UnsubscribeToken(vault, member_id, "email");
    }
    return "";
}

bool UsesNextBest(const Campaign& c) {
    return c.body.find("{next_best}") != std::string::npos || c.subject.find("{next_best}") != std::string::npos;
}

}  // namespace

Result<std::unordered_map<uint32_t, std::string>> NextBestNames(Services& services, storage::Transaction& tx,
                                                                 const std::unordered_set<uint32_t>& members) {
    std::unordered_map<uint32_t, std::string> names;
    if (!services.analytics || members.empty()) return names;
    auto rules = analytics::NextBestRules(*services.analytics, *services.db);
    if (!rules.ok()) return rules.take_error();
    auto bought = analytics::ItemsBought(*services.analytics, members);
    std::unordered_map<uint32_t, uint32_t> best;  // member → product
    std::vector<uint32_t> products;
    for (auto& [member, items] : bought) {
        auto top = analytics::NextBestItems(*rules, items, 1);
        if (top.empty()) continue;
        best[member] = top.front().item;
        products.push_back(top.front().item);
    }
    std::unordered_map<int64_t, std::string> product_names;
    constexpr size_t kChunk = 500;
    for (size_t from = 0; from < products.size(); from += kChunk) {
        storage::Params params;
        const std::string in = storage::InList(products, from, from + kChunk, params);
        auto rows = tx.Query("SELECT id, name FROM products WHERE id IN (" + in + ")", params);
        if (!rows.ok()) return rows.take_error();
        for (const auto& r : *rows) product_names[r.Int(0)] = r.Text(1);
    }
    for (const auto& [member, product] : best) names[member] = product_names[product];
    return names;
}

namespace {

// Enqueues one batch in one transaction. Members already recorded for this campaign and
// occasion are skipped, so a batch can be run again after a crash.
Result<int64_t> EnqueueBatch(Services& services, const Campaign& c, int64_t run_id, const std::vector<Candidate>& batch,
                             int64_t now, int64_t* queued) {
    auto tx = services.db->Begin(storage::TxMode::kWrite);
    if (!tx.ok()) return tx.take_error();
    auto settings = LoadMarketingSettings(**tx, *services.vault);
    if (!settings.ok()) return settings.take_error();
    auto facts = LoadFacts(**tx, batch, c.channel, now);
    if (!facts.ok()) return facts.take_error();
    std::optional<loyalty::CouponTemplate> coupon_template;
    if (c.coupon_template_id) {
        auto t = loyalty::LoadTemplate(**tx, *c.coupon_template_id);
        if (!t.ok()) return t.take_error();
        if (t->has_value() && (*t)->status == "active") coupon_template = **t;
    }
    const int quiet_start = ParseClock(settings->quiet_start), quiet_end = ParseClock(settings->quiet_end);
    std::unordered_map<uint32_t, std::string> next_best;
    if (UsesNextBest(c)) {
        std::unordered_set<uint32_t> ids;
        for (const auto& cand : batch) ids.insert(cand.member);
        auto names = NextBestNames(services, **tx, ids);
        if (!names.ok()) return names.take_error();
        next_best = std::move(*names);
    }
    int64_t recorded = 0;
    for (const auto& cand : batch) {
        auto& f = (*facts)[cand.member];
        std::string outcome = "queued";
        if (!f.active) continue;
        if (f.minor) outcome = "minor";
        else if (!f.consent) outcome = "no_consent";
        else if (!f.has_address) outcome = "no_address";
        else if (settings->weekly_cap > 0 && f.recent_marketing >= settings->weekly_cap) outcome = "capped";
        else if (InControlGroup(c.id, cand.member, static_cast<int>(c.control_pct))) outcome = "control";
        auto inserted = (*tx)->QueryOne(
            "INSERT INTO campaign_recipients (campaign_id, run_id, member_id, occasion, outcome, created_at) VALUES (?, ?, "
            "?, ?, ?, ?) ON CONFLICT (campaign_id, member_id, occasion) DO NOTHING RETURNING id",
            {c.id, run_id, static_cast<int64_t>(cand.member), cand.occasion, outcome, now});
        if (!inserted.ok()) return inserted.take_error();
        if (!inserted->has_value()) continue;  // this member already had this occasion
        ++recorded;
        if (outcome != "queued") continue;
        std::map<std::string, std::string> vars = {{"name", f.name},         {"points", std::to_string(f.points)},
                                                   {"tier", f.tier},         {"store", f.store},
                                                   {"coupon_code", ""},      {"expiry", ""},
                                                   {"next_best", next_best[cand.member]}};
        std::optional<int64_t> coupon_id;
        if (coupon_template) {
            auto issued = loyalty::IssueCoupon(**tx, *coupon_template, {.member_id = cand.member, .reason = "campaign", .now = now});
            if (issued.ok()) {
                coupon_id = *issued;
                auto code = (*tx)->QueryOne("SELECT code, valid_until FROM coupons WHERE id = ?", {*issued});
                if (!code.ok()) return code.take_error();
                vars["coupon_code"] = (*code)->Text(0);
                vars["expiry"] = loyalty::LocalDate((*code)->Int(1) - 1, f.timezone);
            } else if (issued.error().code != ErrorCode::kValidation && issued.error().code != ErrorCode::kConflict) {
                return issued.take_error();
            }
        }
        const std::string body = RenderTemplate(c.body, vars) + ChannelFooter(c, *settings, *services.vault, cand.member);
        const int64_t release =
            QuietHoursRelease(now, service::LocalDayStart(now, f.timezone), quiet_start, quiet_end);
        auto message = (*tx)->QueryOne(
            "INSERT INTO messages (member_id, channel, purpose, subject, body, status, campaign_id, not_before, created_at) "
            "VALUES (?, ?, 'marketing', ?, ?, 'queued', ?, ?, ?) RETURNING id",
            {static_cast<int64_t>(cand.member), c.channel, RenderTemplate(c.subject, vars), body, c.id, release, now});
        if (!message.ok()) return message.take_error();
        STORECRM_TRY((*tx)->Defer("UPDATE campaign_recipients SET message_id = ?, coupon_id = ? WHERE id = ?",
                                  {(*message)->Int(0), coupon_id, (*inserted)->Int(0)}));
        f.recent_marketing += 1;
        ++*queued;
    }
    STORECRM_TRY(Exec(**tx, "UPDATE campaign_runs SET audience = audience + ? WHERE id = ?", {recorded, run_id}));
    STORECRM_TRY((*tx)->Commit());
    return recorded;
}

Result<std::optional<int64_t>> OpenRun(Services& services, const Campaign& c, const std::string& occasion, int64_t now,
                                       bool reuse_done) {
    auto tx = services.db->Begin(storage::TxMode::kWrite);
    if (!tx.ok()) return tx.take_error();
    auto existing = (*tx)->QueryOne("SELECT id, status FROM campaign_runs WHERE campaign_id = ? AND occasion = ?", {c.id, occasion});
    if (!existing.ok()) return existing.take_error();
    if (existing->has_value()) {
        if ((*existing)->Text(1) == "done" && !reuse_done) return std::optional<int64_t>();
        const int64_t id = (*existing)->Int(0);
        STORECRM_TRY(Exec(**tx, "UPDATE campaign_runs SET status = 'enqueuing' WHERE id = ?", {id}));
        STORECRM_TRY((*tx)->Commit());
        return std::optional<int64_t>(id);
    }
    auto row = (*tx)->QueryOne(
        "INSERT INTO campaign_runs (campaign_id, occasion, status, started_at) VALUES (?, ?, 'enqueuing', ?) RETURNING id",
        {c.id, occasion, now});
    if (!row.ok()) return row.take_error();
    STORECRM_TRY(Exec(**tx, "UPDATE campaigns SET last_run_at = ? WHERE id = ?", {now, c.id}));
    STORECRM_TRY((*tx)->Commit());
    return std::optional<int64_t>((*row)->Int(0));
}

Status FinishRun(Services& services, const Campaign& c, int64_t run_id, int64_t now) {
    auto tx = services.db->Begin(storage::TxMode::kWrite);
    if (!tx.ok()) return tx.take_error();
    STORECRM_TRY(Exec(**tx, "UPDATE campaign_runs SET status = 'done', finished_at = ? WHERE id = ?", {now, run_id}));
    if (c.schedule == "now" || c.schedule == "at") {
        STORECRM_TRY(Exec(**tx, "UPDATE campaigns SET status = 'done', updated_at = ? WHERE id = ? AND status = 'sending'",
                          {now, c.id}));
    }
    return (*tx)->Commit();
}

Status Enqueue(Services& services, const Campaign& c, int64_t run_id, const std::vector<Candidate>& candidates,
               int64_t now, DispatchOutcome& out) {
    for (size_t start = 0; start < candidates.size(); start += kBatch) {
        std::vector<Candidate> batch(candidates.begin() + static_cast<long>(start),
                                     candidates.begin() + static_cast<long>(std::min(candidates.size(), start + kBatch)));
        auto recorded = EnqueueBatch(services, c, run_id, batch, now, &out.queued);
        if (!recorded.ok()) return recorded.take_error();
        out.recipients += *recorded;
    }
    out.runs += 1;
    return FinishRun(services, c, run_id, now);
}

std::vector<Candidate> Everyone(const MemberSet& set, const std::string& occasion) {
    std::vector<Candidate> out;
    for (uint32_t id : set.Ids()) out.push_back({id, occasion});
    return out;
}

// Members who meet the trigger now, each with the occasion that makes it once only.
Result<std::vector<Candidate>> TriggerCandidates(Services& services, const Campaign& c, const MemberSet& audience,
                                                 int64_t now) {
    auto tx = services.db->Begin(storage::TxMode::kRead);
    if (!tx.ok()) return tx.take_error();
    const std::string kind = c.detail.value("kind", "");
    const int64_t days = c.detail.value("days", int64_t{0});
    const int64_t since = std::max(c.approved_at.value_or(c.updated_at), now - 7 * kDay);
    std::vector<Candidate> out;
    auto add = [&](int64_t member, std::string occasion) {
        if (member > 0 && audience.Contains(static_cast<uint32_t>(member))) out.push_back({static_cast<uint32_t>(member), std::move(occasion)});
    };
    if (kind == "welcome") {
        auto rows = (*tx)->Query("SELECT id FROM members WHERE created_at >= ? AND status = 'active'", {since});
        if (!rows.ok()) return rows.take_error();
        for (const auto& r : *rows) add(r.Int(0), "welcome");
    } else if (kind == "birthday") {
        // Birthdays are encrypted but for the month: decrypt this month's and compare the day
        // in the member's store zone.
        auto rows = (*tx)->Query("SELECT m.id, m.birthday_enc, st.timezone FROM members m JOIN stores st ON st.id = "
                                 "m.home_store_id WHERE m.status = 'active' AND m.birth_month = ?",
                                 {static_cast<int64_t>(std::stoi(loyalty::LocalDate(now, "Asia/Shanghai").substr(5, 2)))});
        if (!rows.ok()) return rows.take_error();
        for (const auto& r : *rows) {
            if (!audience.Contains(static_cast<uint32_t>(r.Int(0)))) continue;
            auto birthday = services.vault->Decrypt(r.BlobBytes(1));
            const std::string today = loyalty::LocalDate(now, r.Text(2));
            if (birthday && birthday->size() == 10 && birthday->substr(5) == today.substr(5)) {
                add(r.Int(0), "birthday:" + today.substr(0, 4));
            }
        }
    } else if (kind == "days_since_purchase") {
        // A week's grace: a member the pass missed on the day still gets it, once per lapse.
        auto rows = (*tx)->Query("SELECT id, last_purchase_at FROM members WHERE status = 'active' AND last_purchase_at "
                                 "BETWEEN ? AND ?",
                                 {now - (days + 7) * kDay, now - days * kDay});
        if (!rows.ok()) return rows.take_error();
        for (const auto& r : *rows) add(r.Int(0), "lapse:" + std::to_string(r.Int(1)));
    } else if (kind == "tier_change") {
        auto rows = (*tx)->Query("SELECT id, member_id FROM tier_changes WHERE created_at >= ? AND reason IN ('upgrade', "
                                 "'downgrade', 'manual')",
                                 {since});
        if (!rows.ok()) return rows.take_error();
        for (const auto& r : *rows) add(r.Int(1), "tier:" + std::to_string(r.Int(0)));
    } else if (kind == "points_expiring") {
        auto rows = (*tx)->Query("SELECT member_id, MIN(expires_at) FROM points_lots WHERE remaining > 0 AND expires_at > ? "
                                 "AND expires_at <= ? GROUP BY member_id",
                                 {now, now + std::max<int64_t>(days, 1) * kDay});
        if (!rows.ok()) return rows.take_error();
        for (const auto& r : *rows) add(r.Int(0), "expiry:" + loyalty::LocalDate(r.Int(1), "Asia/Shanghai"));
    } else if (kind == "cycle_due") {
        // The reminders job found these members due by their own purchase cycle.
        auto rows = (*tx)->Query("SELECT member_id, occasion FROM reminders WHERE kind = 'cycle' AND created_at >= ?", {since});
        if (!rows.ok()) return rows.take_error();
        for (const auto& r : *rows) add(r.Int(0), "cycle:" + r.Text(1));
    }
    return out;
}

Result<std::vector<Campaign>> CampaignsIn(Services& services, const std::string& statuses) {
    auto tx = services.db->Begin(storage::TxMode::kRead);
    if (!tx.ok()) return tx.take_error();
    auto rows = (*tx)->Query(std::string("SELECT ") + kCampaignColumns + " FROM campaigns WHERE status IN (" + statuses +
                             ") ORDER BY id");
    if (!rows.ok()) return rows.take_error();
    std::vector<Campaign> out;
    for (const auto& r : *rows) out.push_back(CampaignFromRow(r));
    return out;
}

Result<std::vector<std::string>> StoreZones(Services& services) {
    auto tx = services.db->Begin(storage::TxMode::kRead);
    if (!tx.ok()) return tx.take_error();
    auto rows = (*tx)->Query("SELECT DISTINCT timezone FROM stores ORDER BY timezone");
    if (!rows.ok()) return rows.take_error();
    std::vector<std::string> out;
    for (const auto& r : *rows) out.push_back(r.Text(0));
    return out;
}

Status StartCampaign(Services& services, const Campaign& c, int64_t now) {
    auto tx = services.db->Begin(storage::TxMode::kWrite);
    if (!tx.ok()) return tx.take_error();
    STORECRM_TRY(Exec(**tx, "UPDATE campaigns SET status = 'sending', updated_at = ? WHERE id = ? AND status = 'scheduled'",
                      {now, c.id}));
    return (*tx)->Commit();
}

}  // namespace

Campaign CampaignFromRow(const storage::Row& r) {
    Campaign c;
    c.id = r.Int(0);
    c.name = r.Text(1);
    c.status = r.Text(2);
    c.segment_id = r.OptInt(3);
    c.rules = r.Text(4);
    c.channel = r.Text(5);
    c.subject = r.Text(6);
    c.body = r.Text(7);
    c.coupon_template_id = r.OptInt(8);
    c.schedule = r.Text(9);
    c.send_at = r.OptInt(10);
    c.detail = json::parse(r.Text(11), nullptr, false);
    if (!c.detail.is_object()) c.detail = json::object();
    c.control_pct = r.Int(12);
    c.result_days = r.Int(13);
    c.approved_at = r.OptInt(14);
    c.created_at = r.Int(15);
    c.updated_at = r.Int(16);
    return c;
}

const std::vector<std::string>& TriggerKinds() {
    static const std::vector<std::string> kinds = {"welcome",     "birthday",        "days_since_purchase",
                                                   "tier_change", "points_expiring", "cycle_due"};
    return kinds;
}

Result<DispatchOutcome> DispatchCampaigns(Services& services, int64_t now) {
    DispatchOutcome out;
    auto campaigns = CampaignsIn(services, "'scheduled', 'sending', 'active'");
    if (!campaigns.ok()) return campaigns.take_error();
    for (const auto& c : *campaigns) {
        auto rules = StoredRules(c.rules);
        if (!rules.ok()) return rules.take_error();
        if (c.schedule == "now" || c.schedule == "at") {
            if (c.status == "scheduled" && c.schedule == "at" && c.send_at.value_or(0) > now) continue;
            if (c.status == "scheduled") STORECRM_TRY(StartCampaign(services, c, now));
            auto run = OpenRun(services, c, "once", now, false);
            if (!run.ok()) return run.take_error();
            if (!run->has_value()) {
                STORECRM_TRY(FinishRun(services, c, 0, now));
                continue;
            }
            auto audience = EvaluateAudience(services, *rules, AudienceScope{.now = now});
            if (!audience.ok()) return audience.take_error();
            STORECRM_TRY(Enqueue(services, c, **run, Everyone(*audience, "once"), now, out));
        } else if (c.schedule == "recurring" && c.status == "active") {
            auto zones = StoreZones(services);
            if (!zones.ok()) return zones.take_error();
            const int at = ParseClock(c.detail.value("time", std::string("10:00")));
            const auto weekdays = c.detail.value("weekdays", std::vector<int>{});
            for (const auto& zone : *zones) {
                const int64_t day_start = service::LocalDayStart(now, zone);
                if (std::find(weekdays.begin(), weekdays.end(), loyalty::LocalWeekday(now, zone)) == weekdays.end()) continue;
                if (now < day_start + at * 60) continue;
                // Once per local day and zone; only members whose home store keeps that zone.
                const std::string occasion = loyalty::LocalDate(now, zone) + "@" + zone;
                auto run = OpenRun(services, c, occasion, now, false);
                if (!run.ok()) return run.take_error();
                if (!run->has_value()) continue;
                auto tx = services.db->Begin(storage::TxMode::kRead);
                if (!tx.ok()) return tx.take_error();
                auto stores = (*tx)->Query("SELECT id FROM stores WHERE timezone = ?", {zone});
                if (!stores.ok()) return stores.take_error();
                (*tx).reset();
                std::vector<int64_t> ids;
                for (const auto& r : *stores) ids.push_back(r.Int(0));
                auto audience = EvaluateAudience(services, *rules, AudienceScope{.stores = ids, .now = now});
                if (!audience.ok()) return audience.take_error();
                STORECRM_TRY(Enqueue(services, c, **run, Everyone(*audience, occasion), now, out));
            }
        } else if (c.schedule == "trigger" && c.status == "active") {
            auto audience = EvaluateAudience(services, *rules, AudienceScope{.now = now});
            if (!audience.ok()) return audience.take_error();
            auto candidates = TriggerCandidates(services, c, *audience, now);
            if (!candidates.ok()) return candidates.take_error();
            if (candidates->empty()) continue;
            auto run = OpenRun(services, c, "day:" + loyalty::LocalDate(now, "Asia/Shanghai"), now, true);
            if (!run.ok()) return run.take_error();
            if (!run->has_value()) continue;
            STORECRM_TRY(Enqueue(services, c, **run, *candidates, now, out));
        }
    }
    return out;
}

Result<json> PreviewFor(Services& services, storage::Transaction& tx, const Campaign& c, int64_t member_id, int64_t now) {
    auto row = tx.QueryOne("SELECT m.name, COALESCE(t.name, ''), st.name, m.points_balance, st.timezone FROM members m "
                           "JOIN stores st ON st.id = m.home_store_id LEFT JOIN tiers t ON t.id = m.tier_id WHERE m.id = ?",
                           {member_id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Error::NotFound();
    const auto& r = **row;
    std::map<std::string, std::string> vars = {{"name", r.Text(0)}, {"tier", r.Text(1)}, {"store", r.Text(2)},
                                               {"points", std::to_string(r.Int(3))}, {"coupon_code", ""}, {"expiry", ""},
                                               {"next_best", ""}};
    if (UsesNextBest(c)) {
        auto names = NextBestNames(services, tx, {static_cast<uint32_t>(member_id)});
        if (!names.ok()) return names.take_error();
        vars["next_best"] = (*names)[static_cast<uint32_t>(member_id)];
    }
    if (c.coupon_template_id) {
        auto t = loyalty::LoadTemplate(tx, *c.coupon_template_id);
        if (!t.ok()) return t.take_error();
        vars["coupon_code"] = "XXXXXXXX";
        if (t->has_value()) {
            const int64_t until = (*t)->valid_until.value_or(now + std::max<int64_t>((*t)->valid_days, 1) * kDay);
            vars["expiry"] = loyalty::LocalDate(until - 1, r.Text(4));
        }
    }
    return json{{"subject", RenderTemplate(c.subject, vars)}, {"body", RenderTemplate(c.body, vars)}};
}

std::string UnsubscribeToken(const security::FieldVault& vault, int64_t member_id, const std::string& channel) {
    const std::string payload = std::to_string(member_id) + "." + channel;
    return payload + "." + security::SignatureHex(vault, "unsubscribe", payload);
}

std::optional<std::pair<int64_t, std::string>> ReadUnsubscribeToken(const security::FieldVault& vault,
                                                                    const std::string& token) {
    const auto last = token.rfind('.');
    if (last == std::string::npos) return std::nullopt;
    const std::string payload = token.substr(0, last);
    const std::string expected = security::SignatureHex(vault, "unsubscribe", payload);
    const std::string given = token.substr(last + 1);
    if (given.size() != expected.size() || sodium_memcmp(given.data(), expected.data(), given.size()) != 0) {
        return std::nullopt;
    }
    const auto dot = payload.find('.');
    if (dot == std::string::npos) return std::nullopt;
    try {
        return std::make_pair(std::stoll(payload.substr(0, dot)), payload.substr(dot + 1));
    } catch (...) {
        return std::nullopt;
    }
}

}  // namespace storecrm::marketing
