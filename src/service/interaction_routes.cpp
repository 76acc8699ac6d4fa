// Interactions 互动记录 with a member (call, WeChat, visit, SMS, email), whose next step becomes a
// task; the member's one timeline of everything that happened; their purchase cycle.
#include <algorithm>
#include <tuple>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "http/paging.hpp"
#include "members/member_service.hpp"
#include "service/business_hours.hpp"
#include "service/purchase_cycle.hpp"
#include "service/refs.hpp"
#include "service/routes.hpp"
#include "service/tasks.hpp"

namespace storecrm::service {
namespace {

using http::RequestContext;
using nlohmann::json;

constexpr const char* kInteractionSelect =
    "SELECT i.id, i.member_id, i.store_id, i.staff_id, s.name, i.occurred_at, i.channel, i.direction, i.summary, "
    "i.feedback, i.sentiment, i.next_step, i.task_id, i.created_at FROM interactions i LEFT JOIN staff s ON s.id = i.staff_id";

json InteractionJson(const storage::Row& r) {
    return {{"id", r.Int(0)},          {"member_id", r.Int(1)},     {"store_id", r.Int(2)},
            {"staff", StaffRef(r, 3, 4)}, {"occurred_at", FormatIsoUtc(r.Int(5))}, {"channel", r.Text(6)},
            {"direction", r.Text(7)},  {"summary", r.Text(8)},      {"feedback", r.Text(9)},
            {"sentiment", r.Text(10)}, {"next_step", r.Text(11)},   {"task_id", r.IsNull(12) ? json() : json(r.Int(12))},
            {"created_at", FormatIsoUtc(r.Int(13))}};
}

Result<http::Response> ListInteractions(RequestContext& ctx) {
    auto member = members::LoadPathMember(ctx);
    if (!member.ok()) return member.take_error();
    auto page = http::ReadPage(ctx.request);
    if (!page.ok()) return page.take_error();
    auto total = ctx.tx.QueryOne("SELECT COUNT(*) FROM interactions WHERE member_id = ?", {member->id});
    if (!total.ok()) return total.take_error();
    auto rows = ctx.tx.Query(std::string(kInteractionSelect) +
                                 " WHERE i.member_id = ? ORDER BY i.occurred_at DESC, i.id DESC LIMIT ? OFFSET ?",
                             {member->id, page->limit, page->offset});
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) items.push_back(InteractionJson(r));
    return http::PageResponse(std::move(items), page->NextCursor((*total)->Int(0)), (*total)->Int(0));
}

Result<http::Response> CreateInteraction(RequestContext& ctx) {
    auto member = members::LoadPathMember(ctx);
    if (!member.ok()) return member.take_error();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    const int64_t now = NowUnix();
    auto channel = body->Choice("channel", {"phone", "wechat", "visit", "sms", "email"}, true);
    auto direction = body->Choice("direction", {"outbound", "inbound"}, true);
    auto summary = body->Text("summary", {.required = true, .max_chars = 1000, .min_chars = 1, .multiline = true});
    auto feedback = body->Text("feedback", {.max_chars = 1000, .multiline = true}).value_or("");
    auto sentiment = body->Choice("sentiment", {"positive", "neutral", "negative"}).value_or("neutral");
    auto next_step = body->Text("next_step", {.max_chars = 200}).value_or("");
    auto next_due = body->Text("next_step_due", {.max_chars = 25});
    auto next_assignee = body->Int("next_step_assignee_id", false, 1);
    auto task_id = body->Int("task_id", false, 1);
    int64_t occurred_at = now;
    if (auto v = body->Text("occurred_at", {.max_chars = 25})) {
        auto at = ParseIsoDateTime(*v);
        if (!at) {
            body->AddError("occurred_at", "field.invalid_datetime");
        } else if (*at > now + 300) {
            body->AddError("occurred_at", "field.date_in_future");
        } else {
            occurred_at = *at;
        }
    }
    int64_t store_id = member->home_store_id;
    if (auto v = body->Int("store_id", false, 1)) {
        if (!ctx.principal.CanAccessStore(*v)) body->AddError("store_id", "field.store_out_of_scope");
        store_id = *v;
    }
    auto tz = StoreTimezone(ctx.tx, store_id);
    if (!tz.ok()) return tz.take_error();
    int64_t due_at = LocalDayStart(now, *tz, 2) - 1;  // the end of tomorrow
    if (next_due) {
        if (auto at = ParseDueTime(*next_due, *tz)) {
            due_at = *at;
        } else {
            body->AddError("next_step_due", "field.invalid_datetime");
        }
    }
    if (task_id) {
        auto task = LoadVisibleTask(ctx, *task_id);
        if (!task.ok() || (*task)["member"].is_null() || (*task)["member"]["id"] != member->id) {
            body->AddError("task_id", "field.not_found");
        } else if ((*task)["status"] != "open") {
            body->AddError("task_id", "task.not_open");
        }
    }
    STORECRM_TRY(body->Finish());
    std::optional<int64_t> next_task;
    if (!next_step.empty()) {
        NewTask t{.store_id = store_id,
                  .member_id = member->id,
                  .assignee_id = next_assignee ? next_assignee : ctx.principal.StaffId(),
                  .title = next_step,
                  .details = *summary,
                  .due_at = due_at,
                  .origin = "interaction",
                  .created_by = ctx.principal.StaffId()};
        auto id = CreateTask(ctx.tx, t, now);
        if (!id.ok()) return id.take_error();
        next_task = *id;
    }
    auto row = ctx.tx.QueryOne(
        "INSERT INTO interactions (member_id, store_id, staff_id, occurred_at, channel, direction, summary, feedback, "
        "sentiment, next_step, task_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {member->id, store_id, ctx.principal.StaffId(), occurred_at, *channel, *direction, *summary, feedback, sentiment,
         next_step, next_task, now});
    if (!row.ok()) return row.take_error();
    const int64_t id = (*row)->Int(0);
    if (next_task) {
        STORECRM_TRY(ctx.tx.Exec("UPDATE tasks SET origin_ref = ? WHERE id = ?", {"interaction:" + std::to_string(id), *next_task}));
    }
    if (task_id) STORECRM_TRY(CompleteTask(ctx, *task_id, "done", *summary, 0));
    STORECRM_TRY(ctx.Audit({"interaction.create", "member", std::to_string(member->id),
                            json({{"interaction_id", id}, {"channel", *channel}}).dump()}));
    auto saved = ctx.tx.QueryOne(std::string(kInteractionSelect) + " WHERE i.id = ?", {id});
    if (!saved.ok()) return saved.take_error();
    return http::JsonOk(InteractionJson(**saved), 201);
}

// One source of timeline entries: SQL returning (id, at, title, detail-json-ish columns…).
struct TimelineSource {
    const char* kind;
    const char* sql;  // params: member id, before, limit; columns: id, at, then per kind
};

json TimelineDetail(const std::string& kind, const storage::Row& r, Locale locale, std::string& title) {
    if (kind == "sale") {
        title = r.Text(2);
        return {{"store_id", r.Int(3)}, {"total", r.Int(4)}, {"points_earned", r.Int(5)}, {"status", r.Text(6)}};
    }
    if (kind == "refund") {
        title = r.Text(2);
        return {{"sale_id", r.Int(3)}, {"amount", r.Int(4)}, {"points_reversed", r.Int(5)}};
    }
    if (kind == "interaction") {
        title = r.Text(2);
        return {{"channel", r.Text(3)}, {"direction", r.Text(4)}, {"sentiment", r.Text(5)}, {"staff_name", r.Text(6)},
                {"feedback", r.Text(7)}};
    }
    if (kind == "task") {
        title = TaskTitle(r.Text(2), r.Text(7), r.Text(8), locale);
        return {{"status", r.Text(3)}, {"origin", r.Text(4)}, {"due_at", FormatIsoUtc(r.Int(5))}, {"outcome", r.Text(6)}};
    }
    if (kind == "complaint") {
        title = r.Text(2);
        return {{"status", r.Text(3)}, {"severity", r.Text(4)}, {"channel", r.Text(5)}};
    }
    if (kind == "points") {
        title = r.Text(2);
        return {{"delta", r.Int(3)}, {"balance_after", r.Int(4)}, {"points_kind", r.Text(5)}};
    }
    if (kind == "message") {
        title = r.Text(2);
        return {{"channel", r.Text(3)}, {"status", r.Text(4)}, {"body", r.Text(5)}};
    }
    if (kind == "survey") {
        title = r.Text(2);
        return {{"nps", r.IsNull(3) ? json() : json(r.Int(3))}, {"csat", r.IsNull(4) ? json() : json(r.Int(4))}};
    }
    title = r.Text(2);  // event
    return {{"status", r.Text(3)}, {"starts_at", FormatIsoUtc(r.Int(4))}};
}

const std::vector<TimelineSource>& TimelineSources() {
    static const std::vector<TimelineSource> sources = {
        {"sale", "SELECT id, sold_at, receipt_no, store_id, total, points_earned, status FROM sales WHERE member_id = ? "
                 "AND sold_at < ? ORDER BY sold_at DESC LIMIT ?"},
        {"refund", "SELECT r.id, r.created_at, s.receipt_no, r.sale_id, r.amount, r.points_reversed FROM refunds r "
                   "JOIN sales s ON s.id = r.sale_id WHERE s.member_id = ? AND r.created_at < ? ORDER BY r.created_at "
                   "DESC LIMIT ?"},
        {"interaction", "SELECT i.id, i.occurred_at, i.summary, i.channel, i.direction, i.sentiment, COALESCE(s.name, ''), "
                        "i.feedback FROM interactions i LEFT JOIN staff s ON s.id = i.staff_id WHERE i.member_id = ? "
                        "AND i.occurred_at < ? ORDER BY i.occurred_at DESC LIMIT ?"},
        {"task", "SELECT id, created_at, title, status, origin, due_at, outcome, title_key, title_args FROM tasks "
                 "WHERE member_id = ? AND created_at < ? ORDER BY created_at DESC LIMIT ?"},
        {"complaint", "SELECT id, created_at, category, status, severity, channel FROM complaints WHERE member_id = ? "
                      "AND created_at < ? ORDER BY created_at DESC LIMIT ?"},
        {"points", "SELECT id, created_at, reason, delta, balance_after, kind FROM points_ledger WHERE member_id = ? AND "
                   "created_at < ? ORDER BY created_at DESC LIMIT ?"},
        {"message", "SELECT id, created_at, purpose, channel, status, body FROM messages WHERE member_id = ? AND "
                    "created_at < ? ORDER BY created_at DESC LIMIT ?"},
        {"survey", "SELECT a.link_id, a.created_at, v.title, a.nps, a.csat FROM survey_answers a JOIN surveys v ON "
                   "v.id = a.survey_id WHERE a.member_id = ? AND a.created_at < ? ORDER BY a.created_at DESC LIMIT ?"},
        {"event", "SELECT e.id, COALESCE(a.checked_in_at, a.registered_at, a.invited_at), e.title, a.status, e.starts_at "
                  "FROM event_attendees a JOIN member_events e ON e.id = a.event_id WHERE a.member_id = ? AND "
                  "COALESCE(a.checked_in_at, a.registered_at, a.invited_at) < ? ORDER BY 2 DESC LIMIT ?"},
    };
    return sources;
}

// GET /members/{id}/timeline?before=&limit=: one list, newest first, over every source.
// `before` is an ISO time or the opaque next_before of the previous page ("<unix>:<skip>":
// entries at that very second already shown are skipped, so a busy second is never cut).
Result<http::Response> Timeline(RequestContext& ctx) {
    auto member = members::LoadPathMember(ctx);
    if (!member.ok()) return member.take_error();
    int64_t before = INT64_MAX / 2;
    int64_t skip = 0;
    if (auto v = ctx.request.QueryParam("before"); v && !v->empty()) {
        if (auto at = ParseIsoDateTime(*v)) {
            before = *at - 1;
        } else if (auto colon = v->find(':'); colon != std::string::npos && colon > 0 &&
                   v->find_first_not_of("0123456789:") == std::string::npos) {
            before = std::atoll(v->substr(0, colon).c_str());
            skip = std::atoll(v->substr(colon + 1).c_str());
        } else {
            return Error::Field("before", "field.invalid_cursor");
        }
    }
    int64_t limit = 30;
    if (auto v = ctx.request.QueryParam("limit"); v && !v->empty()) limit = std::clamp<int64_t>(std::atoll(v->c_str()), 1, 200);
    struct Entry {
        int64_t at;
        std::string kind;
        int64_t id;
        json item;
    };
    std::vector<Entry> entries;
    for (const auto& source : TimelineSources()) {
        auto rows = ctx.tx.Query(source.sql, {member->id, before + 1, limit + skip + 1});
        if (!rows.ok()) return rows.take_error();
        for (const auto& r : *rows) {
            std::string title;
            json detail = TimelineDetail(source.kind, r, ctx.locale, title);
            entries.push_back({r.Int(1), source.kind, r.Int(0),
                               {{"kind", source.kind}, {"id", r.Int(0)}, {"at", FormatIsoUtc(r.Int(1))},
                                {"title", title}, {"detail", std::move(detail)}}});
        }
    }
    // A total order, so the entries of one second come in the same order on every page.
    std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
        return std::tie(a.at, a.kind, a.id) > std::tie(b.at, b.kind, b.id);
    });
    size_t first = 0;
    while (first < entries.size() && static_cast<int64_t>(first) < skip && entries[first].at == before) ++first;
    const size_t end = std::min(entries.size(), first + static_cast<size_t>(limit));
    json items = json::array();
    for (size_t i = first; i < end; ++i) items.push_back(std::move(entries[i].item));
    json next;
    if (end < entries.size() && end > first) {
        const int64_t last_at = entries[end - 1].at;
        int64_t shown_at_last = 0;
        for (size_t i = 0; i < end; ++i) shown_at_last += entries[i].at == last_at;
        next = std::to_string(last_at) + ":" + std::to_string(shown_at_last);
    }
    return http::JsonOk({{"items", std::move(items)}, {"next_before", next}});
}

// GET /members/{id}/purchase-cycle: overall and per top-level product category.
Result<http::Response> MemberPurchaseCycle(RequestContext& ctx) {
    auto member = members::LoadPathMember(ctx);
    if (!member.ok()) return member.take_error();
    auto cycles = LoadMemberCycles(ctx.tx, member->id);
    if (!cycles.ok()) return cycles.take_error();
    auto cycle_json = [](const std::optional<PurchaseCycle>& c, size_t purchases) -> json {
        return {{"median_days", c ? json(c->median_days) : json()},
                {"purchases", c ? c->purchases : purchases},
                {"next_due_at", c ? json(FormatIsoUtc(c->next_due_at)) : json()}};
    };
    json out = cycle_json(cycles->overall, cycles->overall_days);
    out["categories"] = json::array();
    for (const auto& c : cycles->categories) {
        json one = cycle_json(c.cycle, c.days);
        one["category_id"] = c.category_id;
        one["name"] = c.name;
        out["categories"].push_back(std::move(one));
    }
    return http::JsonOk(out);
}

}  // namespace

void RegisterInteractionRoutes(http::Router& router) {
    using storage::TxMode;
    router.Add({.method = "GET", .pattern = "/api/v1/members/{id}/interactions", .permission = "service.use",
                .tx = TxMode::kRead, .tag = "service", .summary = "A member's interactions 互动记录, newest first",
                .handler = ListInteractions});
    router.Add({.method = "POST", .pattern = "/api/v1/members/{id}/interactions", .permission = "service.use",
                .tx = TxMode::kWrite, .tag = "service",
                .summary = "Log a call, chat, visit, SMS or email; a next step becomes a task", .handler = CreateInteraction});
    router.Add({.method = "GET", .pattern = "/api/v1/members/{id}/timeline", .permission = "members.read",
                .tx = TxMode::kRead, .tag = "service",
                .summary = "One timeline: purchases, interactions, tasks, complaints, messages, points", .handler = Timeline});
    router.Add({.method = "GET", .pattern = "/api/v1/members/{id}/purchase-cycle", .permission = "members.read",
                .tx = TxMode::kRead, .tag = "service", .summary = "The member's purchase cycle, overall and per category",
                .handler = MemberPurchaseCycle});
}

}  // namespace storecrm::service
