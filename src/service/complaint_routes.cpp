// Complaints 投诉: intake with SLA deadlines, the status flow with resolution, compensation and
// the follow-up visit 回访, assignment, notes, and the weekly report.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/messages.hpp"
#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "http/paging.hpp"
#include "loyalty/coupons.hpp"
#include "loyalty/local_time.hpp"
#include "loyalty/points_ledger.hpp"
#include "loyalty/settings.hpp"
#include "service/complaints.hpp"
#include "service/refs.hpp"
#include "service/routes.hpp"

namespace storecrm::service {
namespace {

using http::RequestContext;
using nlohmann::json;

// Escalation and breach events note a code the server wrote; other notes are what staff typed.
std::string EventNote(const std::string& kind, const std::string& note, Locale locale) {
    const char* prefix = kind == "escalated" ? "complaint.escalation." : kind == "breach" ? "complaint.breach." : nullptr;
    if (!prefix || !HasMessage(prefix + note)) return note;
    return Render(prefix + note, locale);
}

const std::string kComplaintSelect =
    "SELECT c.id, c.store_id, st.name, " + MemberRefColumns("m") +
    ", c.sale_id, c.channel, c.category, c.severity, c.description, c.status, c.assignee_id, a.name, c.legal_flag, "
    "c.escalation_level, c.escalated_to, e.name, c.response_due_at, c.resolution_due_at, c.responded_at, c.resolved_at, "
    "c.closed_at, c.response_breached, c.resolution_breached, c.resolution, c.compensation_points, "
    "c.compensation_coupon_id, cp.code, c.satisfaction, c.follow_up_note, c.created_by, cb.name, c.created_at, c.version "
    "FROM complaints c JOIN stores st ON st.id = c.store_id LEFT JOIN members m ON m.id = c.member_id "
    "LEFT JOIN staff a ON a.id = c.assignee_id LEFT JOIN staff e ON e.id = c.escalated_to "
    "LEFT JOIN staff cb ON cb.id = c.created_by LEFT JOIN coupons cp ON cp.id = c.compensation_coupon_id";

json OptTime(const storage::Row& r, int i) { return r.IsNull(i) ? json() : json(FormatIsoUtc(r.Int(i))); }

json ComplaintJson(const RequestContext& ctx, const storage::Row& r) {
    int i = 3 + kMemberRefWidth;
    json out = {{"id", r.Int(0)}, {"store_id", r.Int(1)}, {"store_name", r.Text(2)}, {"member", MemberRef(ctx, r, 3)}};
    out["sale_id"] = r.IsNull(i) ? json() : json(r.Int(i));
    out["channel"] = r.Text(i + 1);
    out["category"] = r.Text(i + 2);
    out["severity"] = r.Text(i + 3);
    out["description"] = r.Text(i + 4);
    out["status"] = r.Text(i + 5);
    out["assignee"] = StaffRef(r, i + 6, i + 7);
    out["legal_flag"] = r.Int(i + 8) != 0;
    out["escalation_level"] = r.Int(i + 9);
    out["escalated_to"] = StaffRef(r, i + 10, i + 11);
    out["response_due_at"] = FormatIsoUtc(r.Int(i + 12));
    out["resolution_due_at"] = FormatIsoUtc(r.Int(i + 13));
    out["responded_at"] = OptTime(r, i + 14);
    out["resolved_at"] = OptTime(r, i + 15);
    out["closed_at"] = OptTime(r, i + 16);
    out["response_breached"] = r.Int(i + 17) != 0;
    out["resolution_breached"] = r.Int(i + 18) != 0;
    out["resolution"] = r.Text(i + 19);
    out["compensation_points"] = r.Int(i + 20);
    out["compensation_coupon"] = r.IsNull(i + 21) ? json() : json({{"id", r.Int(i + 21)}, {"code", r.Text(i + 22)}});
    out["satisfaction"] = r.IsNull(i + 23) ? json() : json(r.Int(i + 23));
    out["follow_up_note"] = r.Text(i + 24);
    out["created_by"] = StaffRef(r, i + 25, i + 26);
    out["created_at"] = FormatIsoUtc(r.Int(i + 27));
    out["version"] = r.Int(i + 28);
    return out;
}

Result<json> LoadComplaint(RequestContext& ctx, int64_t id, bool with_events) {
    storage::Params params{id};
    const std::string scope = security::StoreScopeClause(ctx.principal, "c.store_id", params);
    auto row = ctx.tx.QueryOne(kComplaintSelect + " WHERE c.id = ?" + scope, params);
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Error::NotFound();
    json out = ComplaintJson(ctx, **row);
    if (with_events) {
        auto events = ctx.tx.Query(
            "SELECT ev.id, ev.kind, ev.from_status, ev.to_status, ev.note, ev.staff_id, s.name, ev.created_at FROM "
            "complaint_events ev LEFT JOIN staff s ON s.id = ev.staff_id WHERE ev.complaint_id = ? ORDER BY ev.id",
            {id});
        if (!events.ok()) return events.take_error();
        out["events"] = json::array();
        for (const auto& e : *events) {
            out["events"].push_back({{"id", e.Int(0)}, {"kind", e.Text(1)}, {"from_status", e.Text(2)},
                                     {"to_status", e.Text(3)}, {"note", EventNote(e.Text(1), e.Text(4), ctx.locale)}, {"staff", StaffRef(e, 5, 6)},
                                     {"at", FormatIsoUtc(e.Int(7))}});
        }
    }
    return out;
}

// The complaint as it is now, with its history, as the answer of a change.
Result<http::Response> ComplaintAnswer(RequestContext& ctx, int64_t id, int status = 200) {
    auto saved = LoadComplaint(ctx, id, true);
    if (!saved.ok()) return saved.take_error();
    return http::JsonOk(*saved, status);
}

Result<http::Response> ListComplaints(RequestContext& ctx) {
    auto page = http::ReadPage(ctx.request);
    if (!page.ok()) return page.take_error();
    storage::Params params;
    std::string where = " WHERE 1 = 1" + security::StoreScopeClause(ctx.principal, "c.store_id", params);
    if (auto v = ctx.request.QueryParam("status"); v && !v->empty()) {
        if (*v == "open") {
            where += " AND c.status <> 'closed'";
        } else {
            where += " AND c.status = ?";
            params.emplace_back(*v);
        }
    }
    for (const char* column : {"severity", "category", "channel"}) {
        if (auto v = ctx.request.QueryParam(column); v && !v->empty()) {
            where += std::string(" AND c.") + column + " = ?";
            params.emplace_back(*v);
        }
    }
    for (const char* column : {"store_id", "assignee_id", "member_id"}) {
        if (auto v = ctx.request.QueryParam(column); v && !v->empty()) {
            where += std::string(" AND c.") + column + " = ?";
            params.emplace_back(static_cast<int64_t>(std::atoll(v->c_str())));
        }
    }
    if (auto v = ctx.request.QueryParam("breached"); v && *v == "true") {
        where += " AND (c.response_breached = 1 OR c.resolution_breached = 1)";
    }
    if (auto v = ctx.request.QueryParam("escalated"); v && *v == "true") where += " AND c.escalation_level > 0";
    if (auto v = ctx.request.QueryParam("q"); v && !v->empty()) {
        where += " AND (c.description LIKE ? OR c.category LIKE ?)";
        params.emplace_back("%" + *v + "%");
        params.emplace_back("%" + *v + "%");
    }
    for (const auto& [name, op] : {std::pair{"from", ">="}, std::pair{"to", "<"}}) {
        if (auto v = ctx.request.QueryParam(name); v && !v->empty()) {
            auto day = ParseIsoDate(*v);
            if (!day) return Error::Field(name, "field.invalid_date");
            where += std::string(" AND c.created_at ") + op + " ?";
            params.emplace_back(std::string(name) == "to" ? *day + 86400 : *day);
        }
    }
    auto total = ctx.tx.QueryOne("SELECT COUNT(*) FROM complaints c" + where, params);
    if (!total.ok()) return total.take_error();
    params.emplace_back(page->limit);
    params.emplace_back(page->offset);
    // Open ones first, by the nearest deadline still running; closed ones after, newest first.
    auto rows = ctx.tx.Query(kComplaintSelect + where +
                                 " ORDER BY CASE WHEN c.status IN ('resolved', 'follow_up', 'closed') THEN 1 ELSE 0 END, "
                                 "CASE WHEN c.status = 'new' THEN c.response_due_at ELSE c.resolution_due_at END, c.id "
                                 "LIMIT ? OFFSET ?",
                             params);
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) items.push_back(ComplaintJson(ctx, r));
    const int64_t count = (*total)->Int(0);
    return http::JsonOk({{"items", std::move(items)},
                         {"next_cursor", page->NextCursor(count).empty() ? json() : json(page->NextCursor(count))},
                         {"total", count},
                         {"now", FormatIsoUtc(NowUnix())}});
}

bool IsLegalCategory(const ServiceSettings& s, const std::string& category) {
    return std::find(s.legal_categories.begin(), s.legal_categories.end(), category) != s.legal_categories.end();
}

Result<http::Response> CreateComplaint(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto store_id = body->Int("store_id", true, 1);
    auto channel = body->Choice("channel", {"phone", "email", "in_store", "online"}, true);
    auto category = body->Text("category", {.required = true, .max_chars = 40, .min_chars = 1});
    auto severity = body->Choice("severity", {"low", "medium", "high", "critical"}, true);
    auto description = body->Text("description", {.required = true, .max_chars = 4000, .min_chars = 1, .multiline = true});
    auto member_id = body->Int("member_id", false, 1);
    auto sale_id = body->Int("sale_id", false, 1);
    auto assignee_id = body->Int("assignee_id", false, 1);
    auto legal = body->Bool("legal_flag");
    if (store_id && !ctx.principal.CanAccessStore(*store_id)) body->AddError("store_id", "field.store_out_of_scope");
    if (member_id) {
        auto m = ctx.tx.QueryOne("SELECT home_store_id FROM members WHERE id = ? AND status = 'active'", {*member_id});
        if (!m.ok()) return m.take_error();
        if (!m->has_value() || !ctx.principal.CanAccessStore((*m)->Int(0))) body->AddError("member_id", "field.not_found");
    }
    if (sale_id) {
        storage::Params p{*sale_id};
        auto s = ctx.tx.QueryOne("SELECT member_id FROM sales s WHERE s.id = ?" +
                                     security::StoreScopeClause(ctx.principal, "s.store_id", p),
                                 p);
        if (!s.ok()) return s.take_error();
        if (!s->has_value()) body->AddError("sale_id", "field.not_found");
        else if (!member_id && !(*s)->IsNull(0)) member_id = (*s)->Int(0);
    }
    if (assignee_id) {
        auto a = ctx.tx.QueryOne("SELECT id FROM staff WHERE id = ? AND status = 'active'", {*assignee_id});
        if (!a.ok()) return a.take_error();
        if (!a->has_value()) body->AddError("assignee_id", "field.not_found");
    }
    STORECRM_TRY(body->Finish());
    auto settings = LoadServiceSettings(ctx.tx);
    if (!settings.ok()) return settings.take_error();
    const int64_t now = NowUnix();
    auto deadlines = ComplaintDeadlines(ctx.tx, *settings, *store_id, *channel, *severity, now);
    if (!deadlines.ok()) return deadlines.take_error();
    const bool legal_flag = legal.value_or(false) || IsLegalCategory(*settings, *category);
    auto row = ctx.tx.QueryOne(
        "INSERT INTO complaints (store_id, member_id, sale_id, channel, category, severity, description, assignee_id, "
        "legal_flag, response_due_at, resolution_due_at, created_by, created_at, updated_at) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {*store_id, member_id, sale_id, *channel, *category, *severity, *description, assignee_id, legal_flag,
         deadlines->response_due_at, deadlines->resolution_due_at, ctx.principal.StaffId(), now, now});
    if (!row.ok()) return row.take_error();
    const int64_t id = (*row)->Int(0);
    STORECRM_TRY(AddComplaintEvent(ctx.tx, id, "created", "", "new", "", ctx.principal.StaffId(), now));
    if (*severity == "critical" || legal_flag) {
        STORECRM_TRY(EscalateComplaint(ctx.tx, id, legal_flag ? "legal" : "critical", now));
    }
    STORECRM_TRY(ctx.Audit({"complaint.create", "complaint", std::to_string(id),
                            json({{"store_id", *store_id}, {"severity", *severity}, {"category", *category}}).dump()}));
    return ComplaintAnswer(ctx, id, 201);
}

Result<http::Response> GetComplaint(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto c = LoadComplaint(ctx, *id, true);
    if (!c.ok()) return c.take_error();
    (*c)["now"] = FormatIsoUtc(NowUnix());
    return http::JsonOk(*c);
}

// Points and a coupon for the member as the resolution's compensation, through the loyalty engine.
Status Compensate(RequestContext& ctx, const json& complaint, int64_t points, std::optional<int64_t> template_id,
                  int64_t now, std::optional<int64_t>& coupon_id) {
    const int64_t member_id = complaint["member"]["id"].get<int64_t>();
    const int64_t store_id = complaint["store_id"].get<int64_t>();
    if (points > 0) {
        auto settings = loyalty::LoadSettings(ctx.tx);
        if (!settings.ok()) return settings.take_error();
        auto tz = StoreTimezone(ctx.tx, store_id);
        if (!tz.ok()) return tz.take_error();
        STORECRM_TRY(loyalty::LockMember(ctx.tx, member_id));
        auto lot = loyalty::AddPoints(ctx.tx,
                                      {.member_id = member_id, .points = points, .kind = "adjust",
                                       .reason = "complaint.compensation",
                                       .source_type = "complaint", .source_id = complaint["id"].get<int64_t>(),
                                       .store_id = store_id, .operator_id = ctx.principal.StaffId(), .now = now},
                                      loyalty::PointsExpiry(settings->expiry, now, *tz));
        if (!lot.ok()) return lot.take_error();
    }
    if (template_id) {
        auto tmpl = loyalty::LoadTemplate(ctx.tx, *template_id);
        if (!tmpl.ok()) return tmpl.take_error();
        if (!tmpl->has_value() || (*tmpl)->status != "active") {
            return Error::Field("compensation_coupon_template_id", "field.not_found");
        }
        auto issued = loyalty::IssueCoupon(ctx.tx, **tmpl,
                                           {.member_id = member_id, .reason = "complaint", .issued_by = ctx.principal.StaffId(), .now = now});
        if (!issued.ok()) return issued.take_error();
        coupon_id = *issued;
    }
    return Ok();
}

// POST /complaints/{id}/transition {to, note, version, resolution…, satisfaction…}
Result<http::Response> Transition(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto current = LoadComplaint(ctx, *id, false);
    if (!current.ok()) return current.take_error();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto to = body->Choice("to", {"acknowledged", "investigating", "resolved", "follow_up", "closed"}, true);
    auto note = body->Text("note", {.max_chars = 1000, .multiline = true}).value_or("");
    auto version = body->Int("version", true, 1);
    const std::string from = (*current)["status"];
    const bool resolving = to && *to == "resolved";
    const bool following_up = to && *to == "follow_up";
    auto resolution = body->Text("resolution", {.required = resolving, .max_chars = 2000, .min_chars = 1, .multiline = true});
    auto points = body->Int("compensation_points", false, 1, 1000000);
    auto coupon_template = body->Int("compensation_coupon_template_id", false, 1);
    auto satisfaction = body->Int("satisfaction", following_up, 1, 5);
    auto follow_up_note = body->Text("follow_up_note", {.max_chars = 1000, .multiline = true});
    if (to && !IsAllowedTransition(from, *to)) body->AddError("to", "complaint.bad_transition", {{"from", from}});
    if (!resolving && (resolution || points || coupon_template)) body->AddError("resolution", "complaint.only_when_resolving");
    if (!following_up && (satisfaction || follow_up_note)) body->AddError("satisfaction", "complaint.only_at_follow_up");
    if ((points || coupon_template) && (*current)["member"].is_null()) {
        body->AddError("compensation_points", "complaint.no_member");
    }
    STORECRM_TRY(body->Finish());
    STORECRM_TRY(http::CheckVersion(*version, *current));
    const int64_t now = NowUnix();
    std::string set = "status = ?, version = version + 1, updated_at = ?";
    storage::Params params{*to, now};
    if (from == "new") {
        set += ", responded_at = ?, response_breached = CASE WHEN response_due_at < ? THEN 1 ELSE response_breached END";
        params.emplace_back(now);
        params.emplace_back(now);
    }
    if (resolving) {
        std::optional<int64_t> coupon_id;
        STORECRM_TRY(Compensate(ctx, *current, points.value_or(0), coupon_template, now, coupon_id));
        set += ", resolved_at = ?, resolution = ?, compensation_points = ?, compensation_coupon_id = ?, "
               "resolution_breached = CASE WHEN resolution_due_at < ? THEN 1 ELSE resolution_breached END";
        params.emplace_back(now);
        params.emplace_back(*resolution);
        params.emplace_back(points.value_or(0));
        params.emplace_back(coupon_id);
        params.emplace_back(now);
    }
    if (following_up) {
        set += ", satisfaction = ?, follow_up_note = ?";
        params.emplace_back(*satisfaction);
        params.emplace_back(follow_up_note.value_or(""));
    }
    if (*to == "closed") {
        set += ", closed_at = ?";
        params.emplace_back(now);
    }
    params.emplace_back(*id);
    STORECRM_TRY(ctx.tx.Exec("UPDATE complaints SET " + set + " WHERE id = ?", params));
    STORECRM_TRY(AddComplaintEvent(ctx.tx, *id, "status", from, *to, resolving ? *resolution : note,
                                   ctx.principal.StaffId(), now));
    STORECRM_TRY(ctx.Audit({"complaint." + *to, "complaint", std::to_string(*id),
                            json({{"from", from}, {"compensation_points", points.value_or(0)}}).dump()}));
    return ComplaintAnswer(ctx, *id);
}

Result<http::Response> Assign(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto current = LoadComplaint(ctx, *id, false);
    if (!current.ok()) return current.take_error();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto assignee = body->Int("assignee_id", true, 1);
    auto version = body->Int("version", true, 1);
    std::string name;
    if (assignee) {
        auto a = ctx.tx.QueryOne("SELECT name FROM staff WHERE id = ? AND status = 'active'", {*assignee});
        if (!a.ok()) return a.take_error();
        if (!a->has_value()) body->AddError("assignee_id", "field.not_found");
        else name = (*a)->Text(0);
    }
    STORECRM_TRY(body->Finish());
    STORECRM_TRY(http::CheckVersion(*version, *current));
    const int64_t now = NowUnix();
    STORECRM_TRY(ctx.tx.Exec("UPDATE complaints SET assignee_id = ?, version = version + 1, updated_at = ? WHERE id = ?",
                             {*assignee, now, *id}));
    STORECRM_TRY(AddComplaintEvent(ctx.tx, *id, "assigned", "", "", name, ctx.principal.StaffId(), now));
    STORECRM_TRY(ctx.Audit({"complaint.assign", "complaint", std::to_string(*id), json({{"assignee_id", *assignee}}).dump()}));
    return ComplaintAnswer(ctx, *id);
}

Result<http::Response> AddNote(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto current = LoadComplaint(ctx, *id, false);
    if (!current.ok()) return current.take_error();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto note = body->Text("note", {.required = true, .max_chars = 2000, .min_chars = 1, .multiline = true});
    STORECRM_TRY(body->Finish());
    STORECRM_TRY(AddComplaintEvent(ctx.tx, *id, "note", "", "", *note, ctx.principal.StaffId(), NowUnix()));
    return ComplaintAnswer(ctx, *id, 201);
}

// GET /complaints/report?from&to&store_id: top reasons and SLA compliance per store.
Result<http::Response> Report(RequestContext& ctx) {
    // Default: the last seven whole UTC days up to and including today.
    const int64_t now = NowUnix();
    int64_t to = now - now % 86400 + 86400, from = to - 7 * 86400;
    if (auto v = ctx.request.QueryParam("from"); v && !v->empty()) {
        auto d = ParseIsoDate(*v);
        if (!d) return Error::Field("from", "field.invalid_date");
        from = *d;
    }
    if (auto v = ctx.request.QueryParam("to"); v && !v->empty()) {
        auto d = ParseIsoDate(*v);
        if (!d) return Error::Field("to", "field.invalid_date");
        to = *d + 86400;
    }
    storage::Params params{from, to};
    std::string where = " WHERE c.created_at >= ? AND c.created_at < ?" +
                        security::StoreScopeClause(ctx.principal, "c.store_id", params);
    if (auto v = ctx.request.QueryParam("store_id"); v && !v->empty()) {
        where += " AND c.store_id = ?";
        params.emplace_back(static_cast<int64_t>(std::atoll(v->c_str())));
    }
    auto categories = ctx.tx.Query("SELECT c.category, COUNT(*) FROM complaints c" + where +
                                       " GROUP BY c.category ORDER BY COUNT(*) DESC, c.category LIMIT 10",
                                   params);
    if (!categories.ok()) return categories.take_error();
    json top = json::array();
    int64_t total = 0;
    for (const auto& r : *categories) top.push_back({{"category", r.Text(0)}, {"count", r.Int(1)}});
    // In time: answered (or still open and not yet due) before the deadline.
    auto stores = ctx.tx.Query(
        "SELECT c.store_id, st.name, COUNT(*), SUM(CASE WHEN c.response_breached = 0 THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN c.resolution_breached = 0 THEN 1 ELSE 0 END), AVG(c.satisfaction * 1.0) FROM complaints c "
        "JOIN stores st ON st.id = c.store_id" + where + " GROUP BY c.store_id, st.name ORDER BY c.store_id",
        params);
    if (!stores.ok()) return stores.take_error();
    json per_store = json::array();
    for (const auto& r : *stores) {
        const int64_t n = r.Int(2);
        total += n;
        auto pct = [n](int64_t k) { return n ? static_cast<double>(k * 1000 / n) / 10.0 : 100.0; };
        per_store.push_back({{"store_id", r.Int(0)},
                             {"store_name", r.Text(1)},
                             {"total", n},
                             {"responded_in_time", r.Int(3)},
                             {"resolved_in_time", r.Int(4)},
                             {"response_compliance_pct", pct(r.Int(3))},
                             {"resolution_compliance_pct", pct(r.Int(4))},
                             {"avg_satisfaction", r.IsNull(5) ? json() : json(static_cast<double>(static_cast<int64_t>(r.Real(5) * 100 + 0.5)) / 100.0)}});
    }
    return http::JsonOk({{"from", FormatIsoUtc(from).substr(0, 10)},
                         {"to", FormatIsoUtc(to - 86400).substr(0, 10)},
                         {"total", total},
                         {"top_categories", top},
                         {"stores", per_store}});
}

}  // namespace

void RegisterComplaintRoutes(http::Router& router) {
    using storage::TxMode;
    router.Add({.method = "GET", .pattern = "/api/v1/complaints", .permission = "complaints.handle", .tx = TxMode::kRead,
                .tag = "service", .summary = "Complaints by nearest deadline (?status=open&breached=true…), with now",
                .handler = ListComplaints});
    router.Add({.method = "POST", .pattern = "/api/v1/complaints", .permission = "complaints.handle", .tx = TxMode::kWrite,
                .tag = "service", .summary = "Record a complaint; SLA deadlines in the store's business hours",
                .handler = CreateComplaint});
    router.Add({.method = "GET", .pattern = "/api/v1/complaints/report", .permission = "complaints.handle",
                .tx = TxMode::kRead, .tag = "service", .summary = "Top reasons and SLA compliance per store",
                .handler = Report});
    router.Add({.method = "GET", .pattern = "/api/v1/complaints/{id}", .permission = "complaints.handle",
                .tx = TxMode::kRead, .tag = "service", .summary = "A complaint with its history", .handler = GetComplaint});
    router.Add({.method = "POST", .pattern = "/api/v1/complaints/{id}/transition", .permission = "complaints.handle",
                .tx = TxMode::kWrite, .tag = "service",
                .summary = "Move a complaint on: acknowledge, investigate, resolve, follow up 回访, close",
                .handler = Transition});
    router.Add({.method = "POST", .pattern = "/api/v1/complaints/{id}/assign", .permission = "complaints.handle",
                .tx = TxMode::kWrite, .tag = "service", .summary = "Assign a complaint", .handler = Assign});
    router.Add({.method = "POST", .pattern = "/api/v1/complaints/{id}/notes", .permission = "complaints.handle",
                .tx = TxMode::kWrite, .tag = "service", .summary = "Add a note to a complaint's history", .handler = AddNote});
}

}  // namespace storecrm::service
