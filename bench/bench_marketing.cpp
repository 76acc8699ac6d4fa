// Segments and campaigns at chain scale: on a database of members (bench_fill's), gives them
// varied attributes, tags and SMS consent once, then times the audience index's load, the live
// count of several segments (the issue's aim: under 200 ms for 1,000,000 members), and a
// campaign's enqueue rate (recipients and outbox messages per second). Figures only.
//
//   bench_marketing DB KEY_FILE
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include <nlohmann/json.hpp>

#include "analytics/sales_columns.hpp"
#include "common/clock.hpp"
#include "http/services.hpp"
#include "marketing/audience_index.hpp"
#include "marketing/campaigns.hpp"
#include "marketing/segment_rules.hpp"
#include "security/crypto.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"

using namespace storecrm;
using nlohmann::json;

namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

bool Exec(storage::Transaction& tx, const std::string& sql, const storage::Params& params = {}) {
    auto r = tx.Exec(sql, params);
    if (!r.ok()) std::fprintf(stderr, "%s: %s\n", sql.c_str(), r.error().internal_detail.c_str());
    return r.ok();
}

// Tags A/B/C (30 % each, independent), SMS consent for 80 %, and spread-out attributes.
bool Prepare(storage::Database& db, int64_t* tags) {
    auto tx = db.Begin(storage::TxMode::kWrite);
    if (!tx.ok()) return false;
    auto group = (*tx)->QueryOne("SELECT id FROM tag_groups WHERE name = 'bench'");
    if (group.ok() && group->has_value()) {
        auto ids = (*tx)->Query("SELECT id FROM tags WHERE group_id = ? ORDER BY id", {(*group)->Int(0)});
        for (size_t i = 0; i < 3 && i < ids->size(); ++i) tags[i] = (*ids)[i].Int(0);
        return true;
    }
    std::printf("preparing members (once): attributes, 3 tags, SMS consent …\n");
    const auto t = std::chrono::steady_clock::now();
    const int64_t now = NowUnix();
    auto g = (*tx)->QueryOne("INSERT INTO tag_groups (name, created_at) VALUES ('bench', ?) RETURNING id", {now});
    for (int i = 0; i < 3; ++i) {
        auto tag = (*tx)->QueryOne("INSERT INTO tags (group_id, name, created_at) VALUES (?, ?, ?) RETURNING id",
                                   {(*g)->Int(0), std::string("bench-") + char('A' + i), now});
        tags[i] = (*tag)->Int(0);
        // A multiplicative hash per tag spreads membership evenly without a random generator.
        if (!Exec(**tx, "INSERT INTO member_tags (member_id, tag_id, created_at) SELECT id, ?, ? FROM members WHERE "
                        "(id * ?) % 100 < 30",
                  {tags[i], now, static_cast<int64_t>(7919 + 104729 * i)})) {
            return false;
        }
    }
    if (!Exec(**tx, "INSERT INTO member_consents (member_id, channel, purpose, granted, at, source) SELECT id, 'sms', "
                    "'marketing', 1, ?, 'bench' FROM members WHERE id % 5 <> 0",
              {now})) {
        return false;
    }
    if (!Exec(**tx, "UPDATE members SET gender = CASE id % 3 WHEN 0 THEN 'male' WHEN 1 THEN 'female' ELSE 'unknown' END, "
                    "birth_year = 1955 + (id * 31) % 50, birth_month = 1 + (id * 17) % 12, points_balance = (id * 7) % 6000, "
                    "total_spend = (id * 7919) % 600000")) {
        return false;
    }
    if (!(*tx)->Commit().ok()) return false;
    std::printf("  prepared in %.1f s\n", Seconds(t));
    return true;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 3) {
        std::fprintf(stderr, "usage: bench_marketing DB KEY_FILE\n");
        return 2;
    }
    security::InitCrypto();
    auto vault = security::FieldVault::Load(argv[2]);
    auto db = storage::OpenDatabase(argv[1], 4);
    if (!vault.ok() || !db.ok() || !storage::Migrate(**db).ok()) {
        std::fprintf(stderr, "cannot open %s\n", argv[1]);
        return 1;
    }
    int64_t tags[3] = {0, 0, 0};
    if (!Prepare(**db, tags)) return 1;

    analytics::SalesStore sales;
    marketing::AudienceIndex index;
    auto t = std::chrono::steady_clock::now();
    if (!sales.CatchUp(**db).ok() || !index.CatchUp(**db).ok()) return 1;
    std::printf("audience index: %zu members loaded in %.2f s\n", index.members(), Seconds(t));

    const std::vector<std::pair<const char*, json>> segments = {
        {"everyone", json{{"rules", json::array()}}},
        {"female aged 20-35", json::parse(R"({"rules":[{"field":"gender","value":["female"]},{"field":"age","op":"between","value":[20,35]}]})")},
        {"tag A or (B and C), not consented excluded",
         json{{"match", "all"},
              {"rules", {{{"field", "consent"}, {"value", {"sms"}}},
                         {{"match", "any"}, {"rules", {{{"field", "tag"}, {"value", {tags[0]}}},
                                                       {{"field", "tag"}, {"op", "all"}, {"value", {tags[1], tags[2]}}}}}}}}}},
        {"spend >= 1000 yuan or points >= 3000, not born Jan/Feb",
         json::parse(R"({"match":"all","rules":[{"match":"any","rules":[{"field":"total_spend","op":"gte","value":100000},
            {"field":"points","op":"gte","value":3000}]},{"match":"none","rules":[{"field":"birth_month","value":[1,2]}]}]})")},
        {"bought in the last 90 days (sales columns)", json::parse(R"({"rules":[{"field":"purchases","op":"gte","value":1,"days":90}]})")},
    };
    std::printf("%-52s %10s %10s %10s   %s\n", "segment count", "members", "p50 ms", "max ms", "(aim: 200 ms at 1,000,000 members)");
    for (const auto& [label, rules_json] : segments) {
        auto rules = marketing::ParseRules(rules_json);
        if (!rules.ok()) {
            std::fprintf(stderr, "bad rules for %s\n", label);
            return 1;
        }
        std::vector<double> ms;
        uint64_t count = 0;
        for (int i = 0; i < 15; ++i) {
            const auto s = std::chrono::steady_clock::now();
            (void)index.CatchUp(**db);  // what a count request does first
            auto set = index.Evaluate(*rules, {.now = NowUnix()}, &sales);
            ms.push_back(Seconds(s) * 1000);
            count = set.ok() ? set->size() : 0;
        }
        std::sort(ms.begin(), ms.end());
        std::printf("%-52s %10llu %10.1f %10.1f\n", label, static_cast<unsigned long long>(count), ms[ms.size() / 2], ms.back());
    }

    // A campaign to tag A's consenting members (no control group, no cap, no quiet hours).
    const int64_t now = NowUnix();
    {
        auto tx = (*db)->Begin(storage::TxMode::kWrite);
        Exec(**tx, "INSERT INTO marketing_settings (key, value) VALUES ('settings', ?) ON CONFLICT (key) DO UPDATE SET value = "
                   "excluded.value",
             {json{{"weekly_cap", 0}, {"quiet_start", "00:00"}, {"quiet_end", "00:00"}, {"version", 1}}.dump()});
        const json rules = {{"match", "all"}, {"rules", {{{"field", "tag"}, {"value", {tags[0]}}}}}};
        Exec(**tx, "INSERT INTO campaigns (name, status, rules, channel, template, schedule, control_pct, created_at, updated_at) "
                   "VALUES ('bench', 'scheduled', ?, 'sms', '{name}，会员日快乐', 'now', 0, ?, ?)",
             {rules.dump(), now, now});
        if (!(*tx)->Commit().ok()) return 1;
    }
    Services services{.db = db->get(), .vault = &*vault, .analytics = &sales, .audience = &index};
    t = std::chrono::steady_clock::now();
    auto outcome = marketing::DispatchCampaigns(services, now);
    const double seconds = Seconds(t);
    if (!outcome.ok()) {
        std::fprintf(stderr, "dispatch: %s\n", outcome.error().internal_detail.c_str());
        return 1;
    }
    std::printf("campaign enqueue: %lld recipients, %lld messages queued in %.2f s = %.0f recipients/s\n",
                static_cast<long long>(outcome->recipients), static_cast<long long>(outcome->queued), seconds,
                outcome->recipients / std::max(seconds, 1e-9));
    return 0;
}
