// Member events 会员活动: plan, invite (a list or an audience filter), register within capacity,
// check in by the member's QR code, and the effect report (attendance, sales before vs after,
// satisfaction).
#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "http/paging.hpp"
#include "members/member_service.hpp"
#include "service/refs.hpp"
#include "service/routes.hpp"

namespace storecrm::service {
namespace {

using http::RequestContext;
using nlohmann::json;

constexpr int64_t kMaxInvitations = 20000;

constexpr const char* kEventSelect =
    "SELECT e.id, e.title, e.description, e.store_id, e.starts_at, e.ends_at, e.capacity, e.status, e.version, "
    "e.created_at, (SELECT COUNT(*) FROM event_attendees a WHERE a.event_id = e.id), "
    "(SELECT COUNT(*) FROM event_attendees a WHERE a.event_id = e.id AND a.status IN ('registered', 'attended')), "
    "(SELECT COUNT(*) FROM event_attendees a WHERE a.event_id = e.id AND a.status = 'attended') FROM member_events e";

json EventJson(const storage::Row& r) {
    return {{"id", r.Int(0)},        {"title", r.Text(1)},   {"description", r.Text(2)},
            {"store_id", r.Int(3)},  {"starts_at", FormatIsoUtc(r.Int(4))}, {"ends_at", FormatIsoUtc(r.Int(5))},
            {"capacity", r.Int(6)},  {"status", r.Text(7)},  {"version", r.Int(8)},
            {"created_at", FormatIsoUtc(r.Int(9))}, {"invited", r.Int(10)}, {"registered", r.Int(11)},
            {"attended", r.Int(12)}};
}

Result<json> LoadEvent(RequestContext& ctx, int64_t id) {
    storage::Params params{id};
    auto row = ctx.tx.QueryOne(std::string(kEventSelect) + " WHERE e.id = ?" +
                                   security::StoreScopeClause(ctx.principal, "e.store_id", params),
                               params);
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Error::NotFound();
    return EventJson(**row);
}

// The event as it is now, as the answer of a change.
Result<http::Response> EventAnswer(RequestContext& ctx, int64_t id, int status = 200) {
    auto saved = LoadEvent(ctx, id);
    if (!saved.ok()) return saved.take_error();
    return http::JsonOk(*saved, status);
}

Result<http::Response> ListEvents(RequestContext& ctx) {
    auto page = http::ReadPage(ctx.request);
    if (!page.ok()) return page.take_error();
    storage::Params params;
    std::string where = " WHERE 1 = 1" + security::StoreScopeClause(ctx.principal, "e.store_id", params);
    if (auto v = ctx.request.QueryParam("store_id"); v && !v->empty()) {
        where += " AND e.store_id = ?";
        params.emplace_back(static_cast<int64_t>(std::atoll(v->c_str())));
    }
    if (auto v = ctx.request.QueryParam("status"); v && !v->empty()) {
        where += " AND e.status = ?";
        params.emplace_back(*v);
    }
    auto total = ctx.tx.QueryOne("SELECT COUNT(*) FROM member_events e" + where, params);
    if (!total.ok()) return total.take_error();
    params.emplace_back(page->limit);
    params.emplace_back(page->offset);
    auto rows = ctx.tx.Query(std::string(kEventSelect) + where + " ORDER BY e.starts_at DESC, e.id DESC LIMIT ? OFFSET ?", params);
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) items.push_back(EventJson(r));
    return http::PageResponse(std::move(items), page->NextCursor((*total)->Int(0)), (*total)->Int(0));
}

Status ReadEvent(RequestContext& ctx, http::BodyReader& body, bool creating, json& e) {
    if (auto v = body.Text("title", {.required = creating, .max_chars = 100, .min_chars = 1})) e["title"] = *v;
    if (auto v = body.Text("description", {.max_chars = 2000, .multiline = true})) e["description"] = *v;
    if (auto v = body.Int("store_id", creating, 1)) {
        if (!ctx.principal.CanAccessStore(*v)) body.AddError("store_id", "field.store_out_of_scope");
        e["store_id"] = *v;
    }
    for (const char* field : {"starts_at", "ends_at"}) {
        if (auto v = body.Text(field, {.required = creating, .max_chars = 25})) {
            if (auto at = ParseIsoDateTime(*v)) e[field] = FormatIsoUtc(*at);
            else body.AddError(field, "field.invalid_datetime");
        }
    }
    if (auto v = body.Int("capacity", false, 0, 100000)) e["capacity"] = *v;
    if (auto v = body.Choice("status", {"planned", "cancelled", "finished"})) e["status"] = *v;
    if (!creating) body.Accept("version");
    if (e.contains("starts_at") && e.contains("ends_at") && e["ends_at"] < e["starts_at"]) {
        body.AddError("ends_at", "event.ends_before_start");
    }
    return body.Finish();
}

Result<http::Response> CreateEvent(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    json e = {{"description", ""}, {"capacity", 0}, {"status", "planned"}};
    STORECRM_TRY(ReadEvent(ctx, *body, true, e));
    const int64_t now = NowUnix();
    auto row = ctx.tx.QueryOne(
        "INSERT INTO member_events (title, description, store_id, starts_at, ends_at, capacity, status, created_by, "
        "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {e["title"].get<std::string>(), e["description"].get<std::string>(), e["store_id"].get<int64_t>(),
         *ParseIsoDateTime(e["starts_at"].get<std::string>()), *ParseIsoDateTime(e["ends_at"].get<std::string>()),
         e["capacity"].get<int64_t>(), e["status"].get<std::string>(), ctx.principal.StaffId(), now, now});
    if (!row.ok()) return row.take_error();
    STORECRM_TRY(ctx.Audit({"event.create", "event", std::to_string((*row)->Int(0)), e["title"].get<std::string>()}));
    return EventAnswer(ctx, (*row)->Int(0), 201);
}

Result<http::Response> GetEvent(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto e = LoadEvent(ctx, *id);
    if (!e.ok()) return e.take_error();
    return http::JsonOk(*e);
}

Result<http::Response> UpdateEvent(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto current = LoadEvent(ctx, *id);
    if (!current.ok()) return current.take_error();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto version = body->Int("version", true, 1);
    json e = *current;
    STORECRM_TRY(ReadEvent(ctx, *body, false, e));
    STORECRM_TRY(http::CheckVersion(*version, *current));
    STORECRM_TRY(ctx.tx.Exec(
        "UPDATE member_events SET title = ?, description = ?, store_id = ?, starts_at = ?, ends_at = ?, capacity = ?, "
        "status = ?, version = version + 1, updated_at = ? WHERE id = ?",
        {e["title"].get<std::string>(), e["description"].get<std::string>(), e["store_id"].get<int64_t>(),
         *ParseIsoDateTime(e["starts_at"].get<std::string>()), *ParseIsoDateTime(e["ends_at"].get<std::string>()),
         e["capacity"].get<int64_t>(), e["status"].get<std::string>(), NowUnix(), *id}));
    STORECRM_TRY(ctx.Audit({"event.update", "event", std::to_string(*id), ""}));
    return EventAnswer(ctx, *id);
}

Result<http::Response> Invite(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto event = LoadEvent(ctx, *id);
    if (!event.ok()) return event.take_error();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto ids = body->IntList("member_ids");
    const json* filter = body->Raw("filter");
    if (!ids && !filter) body->AddError("member_ids", "field.required");
    if (filter && !filter->is_object()) body->AddError("filter", "field.must_be_object");
    STORECRM_TRY(body->Finish());
    std::vector<int64_t> members;
    if (filter) {
        auto matched = members::MembersMatching(ctx, *filter, kMaxInvitations + 1);
        if (!matched.ok()) return matched.take_error();
        if (static_cast<int64_t>(matched->size()) > kMaxInvitations) {
            return Error::Field("filter", "event.too_many", {{"max", std::to_string(kMaxInvitations)}});
        }
        members = std::move(*matched);
    } else {
        for (int64_t m : *ids) {
            storage::Params p{m};
            auto row = ctx.tx.QueryOne("SELECT id FROM members WHERE id = ? AND status = 'active'" +
                                           security::StoreScopeClause(ctx.principal, "home_store_id", p),
                                       p);
            if (!row.ok()) return row.take_error();
            if (!row->has_value()) return Error::Field("member_ids", "field.not_found");
            members.push_back(m);
        }
    }
    const int64_t now = NowUnix();
    int64_t invited = 0;
    for (int64_t m : members) {
        auto r = ctx.tx.Exec(
            "INSERT INTO event_attendees (event_id, member_id, status, invited_at) VALUES (?, ?, 'invited', ?) "
            "ON CONFLICT DO NOTHING",
            {*id, m, now});
        if (!r.ok()) return r.take_error();
        invited += r->changes;
    }
    STORECRM_TRY(ctx.Audit({"event.invite", "event", std::to_string(*id), json({{"invited", invited}}).dump()}));
    return http::JsonOk({{"invited", invited}}, 201);
}

Result<http::Response> Attendees(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto event = LoadEvent(ctx, *id);
    if (!event.ok()) return event.take_error();
    auto page = http::ReadPage(ctx.request);
    if (!page.ok()) return page.take_error();
    storage::Params params{*id};
    std::string where = " WHERE a.event_id = ?";
    if (auto v = ctx.request.QueryParam("status"); v && !v->empty()) {
        where += " AND a.status = ?";
        params.emplace_back(*v);
    }
    auto total = ctx.tx.QueryOne("SELECT COUNT(*) FROM event_attendees a" + where, params);
    if (!total.ok()) return total.take_error();
    params.emplace_back(page->limit);
    params.emplace_back(page->offset);
    auto rows = ctx.tx.Query("SELECT " + MemberRefColumns("m") +
                                 ", a.status, a.invited_at, a.registered_at, a.checked_in_at FROM event_attendees a "
                                 "JOIN members m ON m.id = a.member_id" + where +
                                 " ORDER BY a.checked_in_at DESC, a.registered_at DESC, m.id LIMIT ? OFFSET ?",
                             params);
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    const int i = kMemberRefWidth;
    auto opt = [](const storage::Row& r, int c) { return r.IsNull(c) ? json() : json(FormatIsoUtc(r.Int(c))); };
    for (const auto& r : *rows) {
        items.push_back({{"member", MemberRef(ctx, r, 0)}, {"status", r.Text(i)}, {"invited_at", opt(r, i + 1)},
                         {"registered_at", opt(r, i + 2)}, {"checked_in_at", opt(r, i + 3)}});
    }
    return http::PageResponse(std::move(items), page->NextCursor((*total)->Int(0)), (*total)->Int(0));
}

// Registers (or re-registers) a member; refuses past capacity. `attend` also checks them in.
Status Register(RequestContext& ctx, const json& event, int64_t member_id, bool attend, const std::string& field) {
    if (event["status"] != "planned") return Error::Field(field, "event.not_open");
    auto row = ctx.tx.QueryOne("SELECT status FROM event_attendees WHERE event_id = ? AND member_id = ?",
                               {event["id"].get<int64_t>(), member_id});
    if (!row.ok()) return row.take_error();
    const std::string status = row->has_value() ? (*row)->Text(0) : "";
    if (attend && status == "attended") return Error::Conflict(field, "event.already_checked_in");
    if (!attend && (status == "registered" || status == "attended")) return Error::Conflict(field, "event.already_registered");
    const bool takes_a_place = status != "registered" && status != "attended";
    const int64_t capacity = event["capacity"].get<int64_t>();
    if (takes_a_place && capacity > 0) {
        auto taken = ctx.tx.QueryOne(
            "SELECT COUNT(*) FROM event_attendees WHERE event_id = ? AND status IN ('registered', 'attended')",
            {event["id"].get<int64_t>()});
        if (!taken.ok()) return taken.take_error();
        if ((*taken)->Int(0) >= capacity) return Error::Field(field, "event.full", {{"capacity", std::to_string(capacity)}});
    }
    const int64_t now = NowUnix();
    const std::string next = attend ? "attended" : "registered";
    if (status.empty()) {
        STORECRM_TRY(ctx.tx.Exec(
            "INSERT INTO event_attendees (event_id, member_id, status, registered_at, checked_in_at) VALUES (?, ?, ?, ?, ?)",
            {event["id"].get<int64_t>(), member_id, next, now, attend ? std::optional<int64_t>(now) : std::nullopt}));
    } else {
        STORECRM_TRY(ctx.tx.Exec(
            "UPDATE event_attendees SET status = ?, registered_at = COALESCE(registered_at, ?), checked_in_at = ? "
            "WHERE event_id = ? AND member_id = ?",
            {next, now, attend ? std::optional<int64_t>(now) : std::nullopt, event["id"].get<int64_t>(), member_id}));
    }
    return Ok();
}

Result<int64_t> VisibleMemberId(RequestContext& ctx, const std::string& where, storage::Value key) {
    storage::Params p{std::move(key)};
    auto row = ctx.tx.QueryOne("SELECT id FROM members WHERE " + where + " AND status = 'active'" +
                                   security::StoreScopeClause(ctx.principal, "home_store_id", p),
                               p);
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Error::NotFound();
    return (*row)->Int(0);
}

Result<http::Response> RegisterRoute(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto event = LoadEvent(ctx, *id);
    if (!event.ok()) return event.take_error();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto member_id = body->Int("member_id", true, 1);
    STORECRM_TRY(body->Finish());
    auto member = VisibleMemberId(ctx, "id = ?", *member_id);
    if (!member.ok()) return Error::Field("member_id", "field.not_found");
    STORECRM_TRY(Register(ctx, *event, *member, false, "member_id"));
    STORECRM_TRY(ctx.Audit({"event.register", "event", std::to_string(*id), json({{"member_id", *member}}).dump()}));
    return EventAnswer(ctx, *id, 201);
}

Result<http::Response> CancelRegistration(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto member_id = ctx.PathId("member_id");
    if (!member_id.ok()) return member_id.take_error();
    auto event = LoadEvent(ctx, *id);
    if (!event.ok()) return event.take_error();
    auto r = ctx.tx.Exec(
        "UPDATE event_attendees SET status = 'cancelled' WHERE event_id = ? AND member_id = ? AND status = 'registered'",
        {*id, *member_id});
    if (!r.ok()) return r.take_error();
    if (r->changes == 0) return Error::NotFound();
    STORECRM_TRY(ctx.Audit({"event.cancel_registration", "event", std::to_string(*id), json({{"member_id", *member_id}}).dump()}));
    return EventAnswer(ctx, *id);
}

// POST /events/{id}/checkins {code} (the member QR: member no. or referral code) or {member_id}.
Result<http::Response> CheckIn(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto event = LoadEvent(ctx, *id);
    if (!event.ok()) return event.take_error();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto code = body->Text("code", {.max_chars = 40});
    auto member_id = body->Int("member_id", false, 1);
    if (!code && !member_id) body->AddError("code", "field.required");
    STORECRM_TRY(body->Finish());
    Result<int64_t> member = member_id ? VisibleMemberId(ctx, "id = ?", *member_id)
                                       : VisibleMemberId(ctx, "member_no = ?", *code);
    if (!member.ok() && code) member = VisibleMemberId(ctx, "referral_code = ?", *code);
    const std::string field = member_id ? "member_id" : "code";
    if (!member.ok()) return Error::Field(field, "field.not_found");
    STORECRM_TRY(Register(ctx, *event, *member, true, field));
    STORECRM_TRY(ctx.Audit({"event.checkin", "event", std::to_string(*id), json({{"member_id", *member}}).dump()}));
    auto row = ctx.tx.QueryOne("SELECT " + MemberRefColumns("m") + " FROM members m WHERE m.id = ?", {*member});
    if (!row.ok()) return row.take_error();
    auto saved = LoadEvent(ctx, *id);
    if (!saved.ok()) return saved.take_error();
    return http::JsonOk({{"member", MemberRef(ctx, **row, 0)}, {"event", *saved}}, 201);
}

// GET /events/{id}/report?days=30
Result<http::Response> Report(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto event = LoadEvent(ctx, *id);
    if (!event.ok()) return event.take_error();
    int64_t days = 30;
    if (auto v = ctx.request.QueryParam("days"); v && !v->empty()) {
        days = std::atoll(v->c_str());
        if (days < 1 || days > 365) return Error::Field("days", "field.out_of_range", {{"min", "1"}, {"max", "365"}});
    }
    const int64_t start = *ParseIsoDateTime((*event)["starts_at"].get<std::string>());
    const int64_t window = days * 86400;
    auto sales = [&](int64_t from, int64_t to) -> Result<json> {
        auto row = ctx.tx.QueryOne(
            "SELECT COALESCE(SUM(s.total - s.refunded_amount), 0), COUNT(*), COUNT(DISTINCT s.member_id) FROM sales s "
            "JOIN event_attendees a ON a.member_id = s.member_id WHERE a.event_id = ? AND a.status = 'attended' "
            "AND s.sold_at >= ? AND s.sold_at < ?",
            {*id, from, to});
        if (!row.ok()) return row.take_error();
        return json{{"amount", (*row)->Int(0)}, {"count", (*row)->Int(1)}, {"members", (*row)->Int(2)}};
    };
    auto before = sales(start - window, start);
    if (!before.ok()) return before.take_error();
    auto after = sales(start, start + window);
    if (!after.ok()) return after.take_error();
    auto satisfaction = ctx.tx.QueryOne(
        "SELECT COUNT(*), AVG(csat * 1.0), SUM(CASE WHEN nps >= 9 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN nps <= 6 THEN 1 ELSE 0 END), COUNT(nps) FROM survey_answers WHERE event_id = ?",
        {*id});
    if (!satisfaction.ok()) return satisfaction.take_error();
    const auto& s = **satisfaction;
    const int64_t registered = (*event)["registered"], attended = (*event)["attended"];
    return http::JsonOk(
        {{"days", days},
         {"invited", (*event)["invited"]},
         {"registered", registered},
         {"attended", attended},
         {"attendance_rate_pct", registered ? static_cast<double>(attended * 1000 / registered) / 10.0 : 0.0},
         {"sales_before", {{"amount", (*before)["amount"]}, {"count", (*before)["count"]}}},
         {"sales_after", {{"amount", (*after)["amount"]}, {"count", (*after)["count"]}}},
         {"members_buying_after", (*after)["members"]},
         {"satisfaction",
          {{"answers", s.Int(0)},
           {"csat", s.IsNull(1) ? json() : json(static_cast<double>(static_cast<int64_t>(s.Real(1) * 100 + 0.5)) / 100.0)},
           {"nps", s.Int(4) ? json((s.Int(2) - s.Int(3)) * 100 / s.Int(4)) : json()}}}});
}

}  // namespace

void RegisterEventRoutes(http::Router& router) {
    using storage::TxMode;
    router.Add({.method = "GET", .pattern = "/api/v1/events", .permission = "service.use", .tx = TxMode::kRead,
                .tag = "service", .summary = "Member events 会员活动 (?store_id&status)", .handler = ListEvents});
    router.Add({.method = "POST", .pattern = "/api/v1/events", .permission = "events.manage", .tx = TxMode::kWrite,
                .tag = "service", .summary = "Plan a member event", .handler = CreateEvent});
    router.Add({.method = "GET", .pattern = "/api/v1/events/{id}", .permission = "service.use", .tx = TxMode::kRead,
                .tag = "service", .summary = "A member event with counts", .handler = GetEvent});
    router.Add({.method = "PUT", .pattern = "/api/v1/events/{id}", .permission = "events.manage", .tx = TxMode::kWrite,
                .tag = "service", .summary = "Edit, cancel or finish an event (send version)", .handler = UpdateEvent});
    router.Add({.method = "POST", .pattern = "/api/v1/events/{id}/invitations", .permission = "events.manage",
                .tx = TxMode::kWrite, .tag = "service", .summary = "Invite members by id or by an audience filter",
                .handler = Invite});
    router.Add({.method = "GET", .pattern = "/api/v1/events/{id}/attendees", .permission = "service.use",
                .tx = TxMode::kRead, .tag = "service", .summary = "Invited, registered and attending members",
                .handler = Attendees});
    router.Add({.method = "POST", .pattern = "/api/v1/events/{id}/registrations", .permission = "service.use",
                .tx = TxMode::kWrite, .tag = "service", .summary = "Register a member (within capacity)",
                .handler = RegisterRoute});
    router.Add({.method = "DELETE", .pattern = "/api/v1/events/{id}/registrations/{member_id}",
                .permission = "service.use", .tx = TxMode::kWrite, .tag = "service",
                .summary = "Cancel a member's registration", .handler = CancelRegistration});
    router.Add({.method = "POST", .pattern = "/api/v1/events/{id}/checkins", .permission = "service.use",
                .tx = TxMode::kWrite, .tag = "service", .summary = "Check a member in by their QR code",
                .handler = CheckIn});
    router.Add({.method = "GET", .pattern = "/api/v1/events/{id}/report", .permission = "service.use",
                .tx = TxMode::kRead, .tag = "service",
                .summary = "Attendance, attendees' sales before vs after, satisfaction", .handler = Report});
}

}  // namespace storecrm::service
