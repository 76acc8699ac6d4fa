// Demo service history: guides' calls and visits with their next steps, complaints in every
// state (one escalated, one with the legal flag), an answered satisfaction survey that also
// goes out after each new sale, a member event past and one coming, and the first pass of
// reminders, so the service pages show a working store on `make run`.
#include "app/demo_service.hpp"

#include <iostream>
#include <random>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "service/complaints.hpp"
#include "service/reminders.hpp"
#include "service/service_settings.hpp"
#include "service/surveys.hpp"
#include "service/tasks.hpp"

namespace storecrm::app {
namespace {

constexpr int64_t kDay = 86400;

struct DemoMember {
    int64_t id, store_id;
    std::optional<int64_t> guide_id;
};

struct Call {
    const char* channel;
    const char* summary;
    const char* feedback;
    const char* sentiment;
    const char* next_step;
};

constexpr Call kCalls[] = {
    {"phone", "新品到店，电话邀约试穿", "周末有空会来看看", "positive", "周六到店接待试穿"},
    {"wechat", "发送秋冬新款图片", "喜欢驼色大衣，问有没有 M 码", "positive", "确认 M 码库存并回复"},
    {"visit", "到店挑选礼物，推荐了围巾", "对包装很满意", "positive", ""},
    {"phone", "回访上次购买的羽绒服", "洗后有点起球", "negative", "安排售后检查"},
    {"sms", "会员日活动通知", "", "neutral", ""},
    {"wechat", "生日祝福并告知生日礼", "谢谢，会来领", "positive", "生日当周到店领取礼品"},
};

struct DemoComplaint {
    const char* channel;
    const char* category;
    const char* severity;
    const char* description;
    const char* status;  // where it is now
    int64_t age_hours;
};

constexpr DemoComplaint kComplaints[] = {
    {"in_store", "product_quality", "medium", "新买的毛衣第一次洗就缩水了", "new", 1},
    {"online", "service_attitude", "low", "在线咨询半天没人回复", "new", 30},
    {"phone", "price", "low", "同款商品隔天降价，要求补差价", "investigating", 20},
    {"in_store", "food_safety", "high", "试吃的饼干含坚果未标注，孩子过敏", "acknowledged", 3},
    {"email", "product_quality", "medium", "网购的鞋子左右尺码不一致", "resolved", 70},
    {"in_store", "service_attitude", "medium", "收银排队太久，收银员态度冷淡", "closed", 200},
};

Status Interactions(storage::Transaction& tx, const std::vector<DemoMember>& members, std::mt19937_64& rng, int64_t now) {
    int made = 0;
    for (const auto& m : members) {
        if (!m.guide_id || rng() % 5 != 0 || made >= 80) continue;
        const Call& c = kCalls[rng() % std::size(kCalls)];
        const int64_t at = now - static_cast<int64_t>(rng() % (30 * kDay));
        std::optional<int64_t> task;
        if (*c.next_step) {
            service::NewTask t{.store_id = m.store_id, .member_id = m.id, .assignee_id = m.guide_id, .title = c.next_step,
                               .details = c.summary, .due_at = at + 2 * kDay, .origin = "interaction",
                               .created_by = m.guide_id};
            auto id = service::CreateTask(tx, t, at);
            if (!id.ok()) return id.take_error();
            task = *id;
            // Older next steps were done already; recent ones are still open.
            if (at < now - 7 * kDay) {
                STORECRM_TRY(tx.Exec("UPDATE tasks SET status = 'done', outcome = '已完成', completed_at = ?, "
                                     "completed_by = ? WHERE id = ?",
                                     {at + kDay, *m.guide_id, *task}));
            }
        }
        STORECRM_TRY(tx.Exec(
            "INSERT INTO interactions (member_id, store_id, staff_id, occurred_at, channel, direction, summary, feedback, "
            "sentiment, next_step, task_id, created_at) VALUES (?, ?, ?, ?, ?, 'outbound', ?, ?, ?, ?, ?, ?)",
            {m.id, m.store_id, m.guide_id, at, c.channel, c.summary, c.feedback, c.sentiment, c.next_step, task, at}));
        ++made;
    }
    return Ok();
}

Status Complaints(storage::Transaction& tx, const std::vector<DemoMember>& members, std::mt19937_64& rng, int64_t now) {
    auto settings = service::LoadServiceSettings(tx);
    if (!settings.ok()) return settings.take_error();
    const char* flow[] = {"new", "acknowledged", "investigating", "resolved", "follow_up", "closed"};
    for (const auto& c : kComplaints) {
        const DemoMember& m = members[rng() % members.size()];
        const int64_t created = now - c.age_hours * 3600;
        auto due = service::ComplaintDeadlines(tx, *settings, m.store_id, c.channel, c.severity, created);
        if (!due.ok()) return due.take_error();
        const bool legal = std::string(c.category) == "food_safety";
        auto row = tx.QueryOne(
            "INSERT INTO complaints (store_id, member_id, channel, category, severity, description, legal_flag, "
            "response_due_at, resolution_due_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "RETURNING id",
            {m.store_id, m.id, c.channel, c.category, c.severity, c.description, legal, due->response_due_at,
             due->resolution_due_at, created, created});
        if (!row.ok()) return row.take_error();
        const int64_t id = (**row).Int(0);
        STORECRM_TRY(service::AddComplaintEvent(tx, id, "created", "", "new", "", std::nullopt, created));
        if (legal) STORECRM_TRY(service::EscalateComplaint(tx, id, "legal", created));
        // Walk the flow up to the demo state, an hour a step.
        int64_t at = created;
        std::string from = "new";
        for (const char* to : flow) {
            if (std::string(to) == "new") continue;
            if (std::string(from) == c.status) break;
            at += 3600;
            std::string set = "status = ?, updated_at = ?";
            storage::Params p{to, at};
            if (from == "new") set += ", responded_at = " + std::to_string(at);
            if (std::string(to) == "resolved") set += ", resolved_at = " + std::to_string(at) + ", resolution = '致歉并退换'";
            if (std::string(to) == "follow_up") set += ", satisfaction = 4, follow_up_note = '顾客认可处理结果'";
            if (std::string(to) == "closed") set += ", closed_at = " + std::to_string(at);
            p.emplace_back(id);
            STORECRM_TRY(tx.Exec("UPDATE complaints SET " + set + " WHERE id = ?", p));
            STORECRM_TRY(service::AddComplaintEvent(tx, id, "status", from, to, "", std::nullopt, at));
            from = to;
        }
    }
    // The online one has waited past its SLA: the job marks and escalates it, as in a live store.
    auto breached = service::CheckComplaintSla(tx, now);
    return breached.ok() ? Ok() : Status(breached.take_error());
}

Status Survey(storage::Transaction& tx, const security::FieldVault& vault, const std::vector<DemoMember>& members,
              std::mt19937_64& rng, int64_t now) {
    const nlohmann::json questions = nlohmann::json::array(
        {{{"id", "nps"}, {"kind", "nps"}, {"text", "您有多大可能把我们推荐给朋友？"}, {"required", true}},
         {{"id", "csat"}, {"kind", "csat"}, {"text", "您对本次购物体验满意吗？"}, {"required", true}},
         {{"id", "best"}, {"kind", "choice"}, {"text", "您最满意的是？"}, {"options", {"导购服务", "商品质量", "价格优惠", "门店环境"}},
          {"required", false}},
         {{"id", "say"}, {"kind", "text"}, {"text", "还有什么建议？"}, {"required", false}}});
    auto row = tx.QueryOne(
        "INSERT INTO surveys (title, intro, questions, thanks_points, after_sale, status, created_at, updated_at) VALUES "
        "('购物体验调查', '花一分钟告诉我们您的感受，提交即得 20 积分。', ?, 20, 1, 'active', ?, ?) RETURNING id",
        {questions.dump(), now - 90 * kDay, now - 90 * kDay});
    if (!row.ok()) return row.take_error();
    const int64_t survey = (**row).Int(0);
    const char* best[] = {"导购服务", "商品质量", "价格优惠", "门店环境"};
    const char* says[] = {"希望周末多些导购", "试衣间有点小", "会员日活动很划算", ""};
    for (int i = 0; i < 90; ++i) {
        const DemoMember& m = members[rng() % members.size()];
        const int64_t at = now - static_cast<int64_t>(rng() % (60 * kDay));
        auto link = service::CreateSurveyLink(tx, {.survey_id = survey, .member_id = m.id, .store_id = m.store_id,
                                                   .staff_id = m.guide_id}, at);
        if (!link.ok()) return link.take_error();
        // Mostly happy customers, a few detractors; stores differ a little.
        const int64_t nps = std::min<int64_t>(10, 5 + static_cast<int64_t>(rng() % 6) + (m.store_id % 2));
        const int64_t csat = std::max<int64_t>(1, std::min<int64_t>(5, nps / 2));
        nlohmann::json answers = {{"nps", nps}, {"csat", csat}, {"best", best[rng() % 4]}};
        if (*says[i % 4]) answers["say"] = says[i % 4];
        STORECRM_TRY(tx.Exec("UPDATE survey_links SET answered_at = ? WHERE id = ?", {at + 3600, *link}));
        STORECRM_TRY(tx.Exec(
            "INSERT INTO survey_answers (link_id, survey_id, store_id, staff_id, member_id, nps, csat, answers, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            {*link, survey, m.store_id, m.guide_id, m.id, nps, csat, answers.dump(), at + 3600}));
    }
    (void)vault;
    // New sales from now on get a link; the history's sales do not.
    return tx.Exec("UPDATE sequences SET value = (SELECT COALESCE(MAX(id), 0) FROM sales) WHERE name = "
                   "'surveys.after_sale_watermark'")
                   .ok()
               ? Ok()
               : Status(Error::Internal("watermark"));
}

Status Events(storage::Transaction& tx, const std::vector<DemoMember>& members, int64_t now) {
    struct Plan {
        const char* title;
        const char* description;
        int64_t starts_in_days;
        int64_t capacity;
        const char* status;
    };
    const Plan plans[] = {
        {"秋冬穿搭沙龙", "造型师现场搭配讲解，到场即送护理小样", -21, 20, "finished"},
        {"会员日护肤体验课", "专业护肤顾问一对一肤质检测", 6, 30, "planned"},
    };
    const int64_t store = members.front().store_id;
    for (const auto& p : plans) {
        const int64_t starts = now + p.starts_in_days * kDay;
        auto row = tx.QueryOne(
            "INSERT INTO member_events (title, description, store_id, starts_at, ends_at, capacity, status, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            {p.title, p.description, store, starts, starts + 2 * 3600, p.capacity, p.status, now - 30 * kDay, now - 30 * kDay});
        if (!row.ok()) return row.take_error();
        const int64_t event = (**row).Int(0);
        int n = 0;
        for (const auto& m : members) {
            if (m.store_id != store || n >= 36) continue;
            const bool past = p.starts_in_days < 0;
            const char* status = n < 12 ? (past ? "attended" : "registered") : n < 16 && past ? "registered" : "invited";
            STORECRM_TRY(tx.Exec(
                "INSERT INTO event_attendees (event_id, member_id, status, invited_at, registered_at, checked_in_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                {event, m.id, status, now - 28 * kDay,
                 std::string(status) == "invited" ? std::optional<int64_t>() : std::optional<int64_t>(now - 20 * kDay),
                 std::string(status) == "attended" ? std::optional<int64_t>(starts + 600) : std::optional<int64_t>()}));
            ++n;
        }
    }
    return Ok();
}

}  // namespace

bool CreateDemoService(storage::Database& db, security::FieldVault& vault) {
    auto report = [](const Error& e) {
        std::cerr << "demo service data failed: " << e.message.key << " " << e.internal_detail << "\n";
        return false;
    };
    const int64_t now = NowUnix();
    std::mt19937_64 rng(20261205);
    {
        auto tx = db.Begin(storage::TxMode::kWrite);
        if (!tx.ok()) return report(tx.error());
        auto existing = (*tx)->QueryOne("SELECT COUNT(*) FROM complaints");
        if (!existing.ok()) return report(existing.error());
        if ((**existing).Int(0) > 0) return true;  // already there: leave it alone
        auto rows = (*tx)->Query(
            "SELECT m.id, m.home_store_id, m.guide_id FROM members m WHERE m.status = 'active' ORDER BY m.id LIMIT 2000");
        if (!rows.ok()) return report(rows.error());
        std::vector<DemoMember> members;
        for (const auto& r : *rows) {
            members.push_back({r.Int(0), r.Int(1), r.IsNull(2) ? std::nullopt : std::optional<int64_t>(r.Int(2))});
        }
        if (members.empty()) return true;
        for (auto step : {&Interactions, &Complaints}) {
            if (auto s = step(**tx, members, rng, now); !s.ok()) return report(s.error());
        }
        if (auto s = Survey(**tx, vault, members, rng, now); !s.ok()) return report(s.error());
        if (auto s = Events(**tx, members, now); !s.ok()) return report(s.error());
        if (auto c = (*tx)->Commit(); !c.ok()) return report(c.error());
    }
    auto reminders = service::RunReminders(db, vault, now);
    if (!reminders.ok()) return report(reminders.error());
    std::cout << "Demo service data: calls and tasks, " << std::size(kComplaints) << " complaints, a survey with 90 answers, "
              << "2 member events, " << reminders->Total() << " reminders.\n";
    return true;
}

}  // namespace storecrm::app
