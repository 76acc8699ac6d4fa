#include "service/reminders.hpp"

#include <functional>
#include <map>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "loyalty/coupons.hpp"
#include "loyalty/local_time.hpp"
#include "loyalty/settings.hpp"
#include "service/business_hours.hpp"
#include "service/purchase_cycle.hpp"
#include "service/service_settings.hpp"
#include "service/tasks.hpp"

namespace storecrm::service {
namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kCycleLookaheadDays = 2;
constexpr int64_t kCycleGraceDays = 3;
// A member becomes dormant when their silence crosses the threshold; those silent for much
// longer were dormant before (a first run on old data does not flood the guides).
constexpr int64_t kDormancyWindowDays = 7;

struct StoreRun {
    storage::Transaction& tx;
    const security::FieldVault& vault;
    int64_t store_id;
    std::string timezone;
    int64_t now;
    const ServiceSettings& settings;
};

// Claims (member, kind, occasion); only the first claim creates the task.
Result<bool> Claim(StoreRun& run, int64_t member_id, const std::string& kind, const std::string& occasion) {
    auto r = run.tx.Exec(
        "INSERT INTO reminders (member_id, kind, occasion, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        {member_id, kind, occasion, run.now});
    if (!r.ok()) return r.take_error();
    return r->changes == 1;
}

struct Candidate {
    int64_t member_id;
    std::string name;
    std::optional<int64_t> guide_id;
};

struct Reminder {
    std::string kind;
    std::string occasion;
    Message title;  // task.title.<kind>, rendered in each reader's language
    int64_t due_at = 0;
    std::string origin = "reminder";
};

// Claims the occasion, then makes the task (and, for dormancy, the coupon) only if the claim
// was new. Returns whether it was.
Result<bool> Remind(StoreRun& run, const Candidate& m, const Reminder& r,
                    const std::function<Result<std::optional<int64_t>>()>& make_coupon = {}) {
    auto claimed = Claim(run, m.member_id, r.kind, r.occasion);
    if (!claimed.ok()) return claimed.take_error();
    if (!*claimed) return false;
    std::optional<int64_t> coupon;
    if (make_coupon) {
        auto c = make_coupon();
        if (!c.ok()) return c.take_error();
        coupon = *c;
    }
    NewTask t{.store_id = run.store_id,
              .member_id = m.member_id,
              .assignee_id = m.guide_id,
              .title_message = r.title,
              .due_at = r.due_at,
              .priority = r.kind == "dormancy" ? "high" : "normal",
              .origin = r.origin,
              .origin_ref = r.kind + ":" + r.occasion};
    auto task = CreateTask(run.tx, t, run.now);
    if (!task.ok()) return task.take_error();
    STORECRM_TRY(run.tx.Exec(
        "UPDATE reminders SET task_id = ?, coupon_id = ? WHERE member_id = ? AND kind = ? AND occasion = ?",
        {*task, coupon, m.member_id, r.kind, r.occasion}));
    return true;
}

// Members of the store with a guide still active (else the task goes to the store's queue).
Result<std::vector<Candidate>> Members(StoreRun& run, const std::string& condition, storage::Params params) {
    params.insert(params.begin(), run.store_id);
    auto rows = run.tx.Query(
        "SELECT m.id, m.name, CASE WHEN g.status = 'active' THEN m.guide_id END FROM members m "
        "LEFT JOIN staff g ON g.id = m.guide_id WHERE m.home_store_id = ? AND m.status = 'active' AND " + condition,
        params);
    if (!rows.ok()) return rows.take_error();
    std::vector<Candidate> out;
    for (const auto& r : *rows) out.push_back({r.Int(0), r.Text(1), r.IsNull(2) ? std::nullopt : std::optional<int64_t>(r.Int(2))});
    return out;
}

Status Birthdays(StoreRun& run, ReminderCounts& counts) {
    const int64_t target = run.now + run.settings.birthday_days_ahead * kDay;
    const std::string date = loyalty::LocalDate(target, run.timezone);  // YYYY-MM-DD
    const int month = std::stoi(date.substr(5, 2));
    auto rows = run.tx.Query(
        "SELECT m.id, m.name, CASE WHEN g.status = 'active' THEN m.guide_id END, m.birthday_enc FROM members m "
        "LEFT JOIN staff g ON g.id = m.guide_id WHERE m.home_store_id = ? AND m.status = 'active' AND m.birth_month = ?",
        {run.store_id, month});
    if (!rows.ok()) return rows.take_error();
    const int64_t due = LocalDayStart(run.now, run.timezone, 1) - 1;
    for (const auto& r : *rows) {
        auto birthday = run.vault.Decrypt(r.BlobBytes(3));
        if (!birthday || birthday->size() != 10 || birthday->substr(5) != date.substr(5)) continue;
        Candidate m{r.Int(0), r.Text(1), r.IsNull(2) ? std::nullopt : std::optional<int64_t>(r.Int(2))};
        const Message title{"task.title.birthday", {{"name", m.name}, {"date", date.substr(5)}}};
        auto made = Remind(run, m, {"birthday", date, title, due});
        if (!made.ok()) return made.take_error();
        counts.birthday += *made;
    }
    return Ok();
}

Status MemberDay(StoreRun& run, int64_t member_day, ReminderCounts& counts) {
    const int64_t tomorrow = run.now + kDay;
    if (member_day == 0 || loyalty::LocalWeekday(tomorrow, run.timezone) != member_day) return Ok();
    const std::string date = loyalty::LocalDate(tomorrow, run.timezone);
    auto members = Members(run, "m.last_purchase_at >= ?", {run.now - 90 * kDay});
    if (!members.ok()) return members.take_error();
    const int64_t due = LocalDayStart(run.now, run.timezone, 1) - 1;
    for (const auto& m : *members) {
        const Message title{"task.title.member_day", {{"name", m.name}, {"date", date.substr(5)}}};
        auto made = Remind(run, m, {"member_day", date, title, due});
        if (!made.ok()) return made.take_error();
        counts.member_day += *made;
    }
    return Ok();
}

// A purchase-cycle reminder worked out before the write transaction.
struct DueCycle {
    Candidate member;
    Reminder reminder;
};

// Members are read this many at a time, each batch's sale lines in one query: a store's whole
// history at once could be millions of rows, and one query per member is a round trip each.
constexpr int64_t kCycleBatch = 2000;

// The cycle reminders due now for the store's members: due within two days, or just missed (the
// pass runs daily; a member long past their cycle is the dormancy reminder's business). Reads
// only, in a read transaction, so the single writer is not held while every member's history
// is scanned.
Result<std::vector<DueCycle>> DueCycles(storage::Transaction& tx, int64_t store_id, const std::string& timezone, int64_t now) {
    const int64_t horizon = LocalDayStart(now, timezone, static_cast<int>(kCycleLookaheadDays) + 1);
    const int64_t end_of_today = LocalDayStart(now, timezone, 1) - 1;
    std::vector<DueCycle> due;
    auto consider = [&](const Candidate& m, const std::vector<PurchaseLine>& lines) {
        const MemberCycles cycles = CyclesOf(lines);
        // Due at the end of the store's day at the earliest: a reminder due "now" would be
        // overdue the moment the guide sees it.
        auto add = [&](const PurchaseCycle& c, const std::string& scope, Message title) {
            if (c.next_due_at >= horizon || c.next_due_at < now - kCycleGraceDays * kDay) return;
            const std::string date = loyalty::LocalDate(c.next_due_at, timezone);
            due.push_back({m, {"cycle", scope + date, std::move(title), std::max(c.next_due_at, end_of_today)}});
        };
        if (cycles.overall) add(*cycles.overall, "all:", {"task.title.cycle", {{"name", m.name}}});
        for (const auto& c : cycles.categories) {
            if (c.cycle) {
                add(*c.cycle, "cat" + std::to_string(c.category_id) + ":",
                    {"task.title.cycle_category", {{"name", m.name}, {"category", c.name}}});
            }
        }
    };
    const std::string members_of_store =
        "m.home_store_id = ? AND m.status = 'active' AND m.purchase_count >= ?";
    for (int64_t after = 0;;) {
        auto batch = tx.Query("SELECT m.id, m.name, CASE WHEN g.status = 'active' THEN m.guide_id END FROM members m "
                              "LEFT JOIN staff g ON g.id = m.guide_id WHERE " + members_of_store +
                                  " AND m.id > ? ORDER BY m.id LIMIT ?",
                              {store_id, static_cast<int64_t>(kMinPurchasesForCycle), after, kCycleBatch});
        if (!batch.ok()) return batch.take_error();
        if (batch->empty()) break;
        std::map<int64_t, std::pair<Candidate, std::vector<PurchaseLine>>> members;
        for (const auto& r : *batch) {
            members[r.Int(0)].first = {r.Int(0), r.Text(1), r.OptInt(2)};
        }
        const int64_t first = batch->front().Int(0), last = batch->back().Int(0);
        auto lines = tx.Query(
            "SELECT s.member_id, s.sold_at, p.category_id, COALESCE(c.name, '') FROM members m "
            "JOIN sales s ON s.member_id = m.id JOIN sale_lines l ON l.sale_id = s.id JOIN products p ON p.id = l.product_id "
            "LEFT JOIN product_categories c ON c.id = p.category_id WHERE " + members_of_store +
                " AND m.id BETWEEN ? AND ? AND s.status <> 'refunded'",
            {store_id, static_cast<int64_t>(kMinPurchasesForCycle), first, last});
        if (!lines.ok()) return lines.take_error();
        for (const auto& r : *lines) {
            auto it = members.find(r.Int(0));
            if (it != members.end()) it->second.second.push_back({r.Int(1), r.OptInt(2), r.Text(3)});
        }
        for (const auto& [id, entry] : members) consider(entry.first, entry.second);
        after = last;
        if (static_cast<int64_t>(batch->size()) < kCycleBatch) break;
    }
    return due;
}

Status CycleReminders(StoreRun& run, const std::vector<DueCycle>& due, ReminderCounts& counts) {
    for (const auto& d : due) {
        auto made = Remind(run, d.member, d.reminder);
        if (!made.ok()) return made.take_error();
        counts.cycle += *made;
    }
    return Ok();
}

Status Dormancy(StoreRun& run, ReminderCounts& counts) {
    if (run.settings.dormancy_days <= 0) return Ok();
    const int64_t cutoff = run.now - run.settings.dormancy_days * kDay;
    auto rows = run.tx.Query(
        "SELECT m.id, m.name, CASE WHEN g.status = 'active' THEN m.guide_id END, COALESCE(m.last_purchase_at, m.created_at) "
        "FROM members m LEFT JOIN staff g ON g.id = m.guide_id WHERE m.home_store_id = ? AND m.status = 'active' AND "
        "COALESCE(m.last_purchase_at, m.created_at) < ? AND COALESCE(m.last_purchase_at, m.created_at) >= ?",
        {run.store_id, cutoff, cutoff - kDormancyWindowDays * kDay});
    if (!rows.ok()) return rows.take_error();
    std::optional<loyalty::CouponTemplate> tmpl;
    if (run.settings.dormancy_coupon_template_id) {
        auto t = loyalty::LoadTemplate(run.tx, run.settings.dormancy_coupon_template_id);
        if (!t.ok()) return t.take_error();
        if (t->has_value() && (*t)->status == "active") tmpl = **t;
    }
    const int64_t due = LocalDayStart(run.now, run.timezone, 2) - 1;
    for (const auto& r : *rows) {
        Candidate m{r.Int(0), r.Text(1), r.IsNull(2) ? std::nullopt : std::optional<int64_t>(r.Int(2))};
        // One lapse, one reminder: the occasion is the last purchase the member lapsed from.
        const std::string occasion = "since:" + loyalty::LocalDate(r.Int(3), run.timezone);
        auto retention_coupon = [&]() -> Result<std::optional<int64_t>> {
            if (!tmpl) return std::optional<int64_t>();
            auto issued = loyalty::IssueCoupon(run.tx, *tmpl, {.member_id = m.member_id, .reason = "retention", .now = run.now});
            if (!issued.ok()) {
                // A member at the template's limit simply gets the callback without a coupon.
                if (issued.error().code == ErrorCode::kValidation) return std::optional<int64_t>();
                return issued.take_error();
            }
            // A retention coupon is valid for three days, whatever the template says.
            STORECRM_TRY(run.tx.Exec("UPDATE coupons SET valid_until = ? WHERE id = ?", {run.now + 3 * kDay, *issued}));
            return std::optional<int64_t>(*issued);
        };
        auto made = Remind(run, m, {"dormancy", occasion, {"task.title.dormancy", {{"name", m.name}}}, due, "dormancy"},
                           retention_coupon);
        if (!made.ok()) return made.take_error();
        counts.dormancy += *made;
    }
    return Ok();
}

Status PointsExpiry(StoreRun& run, ReminderCounts& counts) {
    if (run.settings.points_expiry_days_ahead <= 0) return Ok();
    auto rows = run.tx.Query(
        "SELECT m.id, m.name, CASE WHEN g.status = 'active' THEN m.guide_id END, MIN(l.expires_at), SUM(l.remaining) "
        "FROM points_lots l JOIN members m ON m.id = l.member_id LEFT JOIN staff g ON g.id = m.guide_id "
        "WHERE m.home_store_id = ? AND m.status = 'active' AND l.remaining > 0 AND l.expires_at > ? AND l.expires_at <= ? "
        "GROUP BY m.id, m.name, m.guide_id, g.status",
        {run.store_id, run.now, run.now + run.settings.points_expiry_days_ahead * kDay});
    if (!rows.ok()) return rows.take_error();
    const int64_t due = LocalDayStart(run.now, run.timezone, 3) - 1;
    for (const auto& r : *rows) {
        Candidate m{r.Int(0), r.Text(1), r.IsNull(2) ? std::nullopt : std::optional<int64_t>(r.Int(2))};
        const std::string date = loyalty::LocalDate(r.Int(3), run.timezone);
        auto made = Remind(run, m, {"points_expiry", date,
                                    {"task.title.points_expiry", {{"name", m.name}, {"points", std::to_string(r.Int(4))}, {"date", date}}},
                                    due});
        if (!made.ok()) return made.take_error();
        counts.points_expiry += *made;
    }
    return Ok();
}

}  // namespace

Result<ReminderCounts> RunReminders(storage::Database& db, const security::FieldVault& vault, int64_t now) {
    ReminderCounts counts;
    std::vector<std::pair<int64_t, std::string>> stores;
    {
        auto tx = db.Begin(storage::TxMode::kRead);
        if (!tx.ok()) return tx.take_error();
        auto rows = (*tx)->Query("SELECT id, timezone FROM stores WHERE status = 'active' ORDER BY id");
        if (!rows.ok()) return rows.take_error();
        for (const auto& r : *rows) stores.emplace_back(r.Int(0), r.Text(1));
    }
    for (const auto& [store_id, timezone] : stores) {
        std::vector<DueCycle> due_cycles;
        {
            auto read = db.Begin(storage::TxMode::kRead);
            if (!read.ok()) return read.take_error();
            auto settings = LoadServiceSettings(**read);
            if (!settings.ok()) return settings.take_error();
            if (settings->cycle_reminders) {
                auto due = DueCycles(**read, store_id, timezone, now);
                if (!due.ok()) return due.take_error();
                due_cycles = std::move(*due);
            }
        }
        auto tx = db.Begin(storage::TxMode::kWrite);
        if (!tx.ok()) return tx.take_error();
        auto settings = LoadServiceSettings(**tx);
        if (!settings.ok()) return settings.take_error();
        auto loyalty_settings = loyalty::LoadSettings(**tx);
        if (!loyalty_settings.ok()) return loyalty_settings.take_error();
        StoreRun run{**tx, vault, store_id, timezone, now, *settings};
        ReminderCounts store_counts;
        STORECRM_TRY(Birthdays(run, store_counts));
        if (settings->member_day_reminders) STORECRM_TRY(MemberDay(run, loyalty_settings->member_day, store_counts));
        if (settings->cycle_reminders) STORECRM_TRY(CycleReminders(run, due_cycles, store_counts));
        STORECRM_TRY(Dormancy(run, store_counts));
        STORECRM_TRY(PointsExpiry(run, store_counts));
        STORECRM_TRY((*tx)->Commit());
        counts.birthday += store_counts.birthday;
        counts.member_day += store_counts.member_day;
        counts.cycle += store_counts.cycle;
        counts.dormancy += store_counts.dormancy;
        counts.points_expiry += store_counts.points_expiry;
    }
    if (counts.Total() > 0) {
        spdlog::info("reminders: {} birthday, {} member day, {} cycle, {} dormancy, {} points expiry", counts.birthday,
                     counts.member_day, counts.cycle, counts.dormancy, counts.points_expiry);
    }
    return counts;
}

}  // namespace storecrm::service
