// Surveys 反馈: editing questions, signed links, the public answer page's API (no sign-in, one
// answer per link, thanked with points), and results per store, staff member and period.
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "loyalty/behaviour.hpp"
#include "loyalty/settings.hpp"
#include "service/routes.hpp"
#include "service/surveys.hpp"

namespace storecrm::service {
namespace {

using http::RequestContext;
using nlohmann::json;

constexpr const char* kSurveyColumns =
    "id, title, intro, questions, thanks_points, after_sale, status, version, created_at";

json SurveyJson(const storage::Row& r) {
    return {{"id", r.Int(0)},
            {"title", r.Text(1)},
            {"intro", r.Text(2)},
            {"questions", json::parse(r.Text(3), nullptr, false)},
            {"thanks_points", r.Int(4)},
            {"after_sale", r.Int(5) != 0},
            {"status", r.Text(6)},
            {"version", r.Int(7)},
            {"created_at", FormatIsoUtc(r.Int(8))}};
}

Result<json> LoadSurvey(storage::Transaction& tx, int64_t id) {
    auto row = tx.QueryOne(std::string("SELECT ") + kSurveyColumns + " FROM surveys WHERE id = ?", {id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Error::NotFound();
    return SurveyJson(**row);
}

Result<http::Response> ListSurveys(RequestContext& ctx) {
    auto rows = ctx.tx.Query(std::string("SELECT ") + kSurveyColumns + " FROM surveys ORDER BY id DESC");
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) items.push_back(SurveyJson(r));
    return http::JsonOk({{"items", items}});
}

// questions: [{id, kind, text, options, required}], each read through its own reader.
void ReadQuestions(http::BodyReader& body, json& out) {
    json questions = json::array();
    std::set<std::string> ids;
    const bool present = body.EachObject("questions", 30, [&](http::BodyReader& q, size_t) {
        auto id = q.Text("id", {.required = true, .max_chars = 20, .min_chars = 1});
        auto kind = q.Choice("kind", {"nps", "csat", "choice", "text"}, true);
        auto text = q.Text("text", {.required = true, .max_chars = 300, .min_chars = 1});
        auto options = q.TextList("options", kind && *kind == "choice", 20, 100);
        auto required = q.Bool("required").value_or(true);
        if (id && id->find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos) {
            q.AddError("id", "field.invalid_code");
        } else if (id && !ids.insert(*id).second) {
            q.AddError("id", "field.code_taken");
        }
        if (kind && *kind == "choice" && options && options->size() < 2) q.AddError("options", "survey.two_options");
        if (!q.HasErrors() && id && kind && text) {
            json one = {{"id", *id}, {"kind", *kind}, {"text", *text}, {"required", required}};
            if (*kind == "choice") one["options"] = *options;
            questions.push_back(std::move(one));
        }
        (void)q.Finish();
    });
    if (present) {
        if (questions.empty() && !body.HasErrors()) body.AddError("questions", "field.required");
        out["questions"] = std::move(questions);
    }
}

Status ReadSurvey(http::BodyReader& body, bool creating, json& s) {
    if (auto v = body.Text("title", {.required = creating, .max_chars = 100, .min_chars = 1})) s["title"] = *v;
    if (auto v = body.Text("intro", {.max_chars = 1000, .multiline = true})) s["intro"] = *v;
    ReadQuestions(body, s);
    if (creating && !s.contains("questions")) body.AddError("questions", "field.required");
    if (auto v = body.Int("thanks_points", false, 0, 100000)) s["thanks_points"] = *v;
    if (auto v = body.Bool("after_sale")) s["after_sale"] = *v;
    if (auto v = body.Choice("status", {"active", "inactive"})) s["status"] = *v;
    if (!creating) body.Accept("version");
    return body.Finish();
}

Result<http::Response> CreateSurvey(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    json s = {{"intro", ""}, {"thanks_points", 0}, {"after_sale", false}, {"status", "active"}};
    STORECRM_TRY(ReadSurvey(*body, true, s));
    const int64_t now = NowUnix();
    auto row = ctx.tx.QueryOne(
        "INSERT INTO surveys (title, intro, questions, thanks_points, after_sale, status, created_at, updated_at) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {s["title"].get<std::string>(), s["intro"].get<std::string>(), s["questions"].dump(),
         s["thanks_points"].get<int64_t>(), s["after_sale"].get<bool>(), s["status"].get<std::string>(), now, now});
    if (!row.ok()) return row.take_error();
    STORECRM_TRY(ctx.Audit({"survey.create", "survey", std::to_string((*row)->Int(0)), s["title"].get<std::string>()}));
    auto saved = LoadSurvey(ctx.tx, (*row)->Int(0));
    if (!saved.ok()) return saved.take_error();
    return http::JsonOk(*saved, 201);
}

Result<http::Response> GetSurvey(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto s = LoadSurvey(ctx.tx, *id);
    if (!s.ok()) return s.take_error();
    return http::JsonOk(*s);
}

Result<http::Response> UpdateSurvey(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto current = LoadSurvey(ctx.tx, *id);
    if (!current.ok()) return current.take_error();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto version = body->Int("version", true, 1);
    json s = *current;
    STORECRM_TRY(ReadSurvey(*body, false, s));
    STORECRM_TRY(http::CheckVersion(*version, *current));
    STORECRM_TRY(ctx.tx.Exec(
        "UPDATE surveys SET title = ?, intro = ?, questions = ?, thanks_points = ?, after_sale = ?, status = ?, "
        "version = version + 1, updated_at = ? WHERE id = ?",
        {s["title"].get<std::string>(), s["intro"].get<std::string>(), s["questions"].dump(),
         s["thanks_points"].get<int64_t>(), s["after_sale"].get<bool>(), s["status"].get<std::string>(), NowUnix(), *id}));
    STORECRM_TRY(ctx.Audit({"survey.update", "survey", std::to_string(*id), ""}));
    auto saved = LoadSurvey(ctx.tx, *id);
    if (!saved.ok()) return saved.take_error();
    return http::JsonOk(*saved);
}

Result<http::Response> CreateLink(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto survey = LoadSurvey(ctx.tx, *id);
    if (!survey.ok()) return survey.take_error();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    SurveyLinkRequest r{.survey_id = *id};
    r.member_id = body->Int("member_id", false, 1);
    r.sale_id = body->Int("sale_id", false, 1);
    r.event_id = body->Int("event_id", false, 1);
    auto store_id = body->Int("store_id", false, 1);
    if (r.member_id) {
        auto m = ctx.tx.QueryOne("SELECT home_store_id FROM members WHERE id = ? AND status = 'active'", {*r.member_id});
        if (!m.ok()) return m.take_error();
        if (!m->has_value() || !ctx.principal.CanAccessStore((*m)->Int(0))) body->AddError("member_id", "field.not_found");
        else if (!store_id) store_id = (*m)->Int(0);
    }
    if (r.sale_id) {
        auto s = ctx.tx.QueryOne("SELECT store_id FROM sales WHERE id = ?", {*r.sale_id});
        if (!s.ok()) return s.take_error();
        if (!s->has_value() || !ctx.principal.CanAccessStore((*s)->Int(0))) body->AddError("sale_id", "field.not_found");
        else if (!store_id) store_id = (*s)->Int(0);
    }
    if (r.event_id) {
        auto e = ctx.tx.QueryOne("SELECT store_id FROM member_events WHERE id = ?", {*r.event_id});
        if (!e.ok()) return e.take_error();
        if (!e->has_value() || !ctx.principal.CanAccessStore((*e)->Int(0))) body->AddError("event_id", "field.not_found");
        else if (!store_id) store_id = (*e)->Int(0);
    }
    if (!store_id && !ctx.principal.all_stores && ctx.principal.store_ids.size() == 1) store_id = ctx.principal.store_ids[0];
    if (!store_id) body->AddError("store_id", "field.required");
    else if (!ctx.principal.CanAccessStore(*store_id)) body->AddError("store_id", "field.store_out_of_scope");
    STORECRM_TRY(body->Finish());
    r.store_id = *store_id;
    r.staff_id = ctx.principal.StaffId();
    const int64_t now = NowUnix();
    auto link = CreateSurveyLink(ctx.tx, r, now);
    if (!link.ok()) return link.take_error();
    const std::string token = SurveyToken(*ctx.services.vault, *link);
    return http::JsonOk({{"id", *link}, {"token", token}, {"url", "/s/" + token},
                         {"expires_at", FormatIsoUtc(now + kSurveyLinkLifetimeSeconds)}},
                        201);
}

struct PublicLink {
    int64_t id, survey_id, store_id;
    std::optional<int64_t> member_id, staff_id, event_id;
    bool answered;
    std::string store_name;
};

Result<PublicLink> FindLink(RequestContext& ctx) {
    auto token = ctx.request.path_params.find("token");
    auto id = token == ctx.request.path_params.end() ? std::nullopt : SurveyLinkIdFromToken(*ctx.services.vault, token->second);
    if (!id) return Error::NotFound();
    auto row = ctx.tx.QueryOne(
        "SELECT l.id, l.survey_id, l.store_id, l.member_id, l.staff_id, l.event_id, l.answered_at, st.name, l.expires_at, "
        "v.status FROM survey_links l JOIN stores st ON st.id = l.store_id JOIN surveys v ON v.id = l.survey_id "
        "WHERE l.id = ?",
        {*id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Error::NotFound();
    const auto& r = **row;
    // An expired link, or one of a survey taken down, answers nothing (unless already answered).
    if (r.IsNull(6) && (r.Int(8) < NowUnix() || r.Text(9) != "active")) return Error::NotFound();
    auto opt = [&](int i) { return r.IsNull(i) ? std::nullopt : std::optional<int64_t>(r.Int(i)); };
    return PublicLink{r.Int(0), r.Int(1), r.Int(2), opt(3), opt(4), opt(5), !r.IsNull(6), r.Text(7)};
}

Result<http::Response> PublicSurvey(RequestContext& ctx) {
    auto link = FindLink(ctx);
    if (!link.ok()) return link.take_error();
    auto survey = LoadSurvey(ctx.tx, link->survey_id);
    if (!survey.ok()) return survey.take_error();
    return http::JsonOk({{"title", (*survey)["title"]},
                         {"intro", (*survey)["intro"]},
                         {"store_name", link->store_name},
                         {"questions", (*survey)["questions"]},
                         {"thanks_points", link->member_id ? (*survey)["thanks_points"] : json(0)},
                         {"answered", link->answered}});
}

Result<http::Response> PublicAnswer(RequestContext& ctx) {
    auto link = FindLink(ctx);
    if (!link.ok()) return link.take_error();
    auto survey = LoadSurvey(ctx.tx, link->survey_id);
    if (!survey.ok()) return survey.take_error();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    const json* answers = body->Raw("answers");
    json kept = json::object();
    std::optional<int64_t> nps, csat;
    if (!answers || !answers->is_object()) {
        body->AddError("answers", answers ? "field.must_be_object" : "field.required");
    } else {
        for (const auto& [key, value] : answers->items()) {
            bool known = false;
            for (const auto& q : (*survey)["questions"]) known |= q["id"] == key;
            if (!known) body->AddError("answers." + key, "field.unknown");
        }
        for (const auto& q : (*survey)["questions"]) {
            const std::string id = q["id"];
            const std::string field = "answers." + id;
            const std::string kind = q["kind"];
            auto it = answers->find(id);
            if (it == answers->end() || it->is_null() || (it->is_string() && it->get<std::string>().empty())) {
                if (q.value("required", true)) body->AddError(field, "field.required");
                continue;
            }
            if (kind == "nps" || kind == "csat") {
                const int64_t lo = kind == "nps" ? 0 : 1, hi = kind == "nps" ? 10 : 5;
                if (!it->is_number_integer() || it->get<int64_t>() < lo || it->get<int64_t>() > hi) {
                    body->AddError(field, "field.out_of_range", {{"min", std::to_string(lo)}, {"max", std::to_string(hi)}});
                    continue;
                }
                if (kind == "nps" && !nps) nps = it->get<int64_t>();
                if (kind == "csat" && !csat) csat = it->get<int64_t>();
            } else if (!it->is_string()) {
                body->AddError(field, "field.must_be_string");
                continue;
            } else if (kind == "choice") {
                bool ok = false;
                for (const auto& o : q["options"]) ok |= o == *it;
                if (!ok) {
                    body->AddError(field, "field.invalid_choice", {{"choices", q["options"].dump()}});
                    continue;
                }
            } else if (auto problem = http::CheckText(it->get<std::string>(), {.max_chars = 1000, .multiline = true});
                       !problem.empty()) {
                body->AddError(field, problem, {{"max", "1000"}});
                continue;
            }
            kept[id] = *it;
        }
    }
    STORECRM_TRY(body->Finish());
    const int64_t now = NowUnix();
    // The answered_at guard makes a second answer (also a racing one) a conflict.
    auto claimed = ctx.tx.Exec("UPDATE survey_links SET answered_at = ? WHERE id = ? AND answered_at IS NULL", {now, link->id});
    if (!claimed.ok()) return claimed.take_error();
    if (claimed->changes == 0) return Error::Conflict("answers", "survey.already_answered");
    STORECRM_TRY(ctx.tx.Exec(
        "INSERT INTO survey_answers (link_id, survey_id, store_id, staff_id, member_id, event_id, nps, csat, answers, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {link->id, link->survey_id, link->store_id, link->staff_id, link->member_id, link->event_id, nps, csat,
         kept.dump(), now}));
    int64_t thanked = 0;
    if (link->member_id) {
        int64_t points = (*survey)["thanks_points"].get<int64_t>();
        if (points == 0) {
            auto settings = loyalty::LoadSettings(ctx.tx);
            if (!settings.ok()) return settings.take_error();
            points = settings->survey_points;
        }
        auto granted = loyalty::GrantBehaviourPoints(ctx.tx, *link->member_id, "survey", "link:" + std::to_string(link->id),
                                                     points, std::nullopt, now);
        if (!granted.ok()) return granted.take_error();
        thanked = granted->value_or(0);
    }
    return http::JsonOk({{"thanks_points", thanked}}, 201);
}

struct Tally {
    int64_t answers = 0, promoters = 0, passives = 0, detractors = 0, nps_count = 0, csat_sum = 0, csat_count = 0;
    void Add(const storage::Row& r) {
        ++answers;
        if (!r.IsNull(3)) {
            const int64_t v = r.Int(3);
            ++nps_count;
            (v >= 9 ? promoters : v >= 7 ? passives : detractors)++;
        }
        if (!r.IsNull(4)) {
            csat_sum += r.Int(4);
            ++csat_count;
        }
    }
    json Nps() const {
        if (!nps_count) return nullptr;
        return {{"score", static_cast<int64_t>((promoters - detractors) * 100 / nps_count)},
                {"promoters", promoters}, {"passives", passives}, {"detractors", detractors}};
    }
    json Csat() const {
        if (!csat_count) return nullptr;
        return {{"average", static_cast<double>(csat_sum * 100 / csat_count) / 100.0}, {"count", csat_count}};
    }
};

// GET /surveys/{id}/results?from&to&store_id&staff_id
Result<http::Response> Results(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto survey = LoadSurvey(ctx.tx, *id);
    if (!survey.ok()) return survey.take_error();
    storage::Params params{*id};
    std::string where = " WHERE a.survey_id = ?" + security::StoreScopeClause(ctx.principal, "a.store_id", params);
    for (const auto& [name, op] : {std::pair{"from", ">="}, std::pair{"to", "<"}}) {
        if (auto v = ctx.request.QueryParam(name); v && !v->empty()) {
            auto day = ParseIsoDate(*v);
            if (!day) return Error::Field(name, "field.invalid_date");
            where += std::string(" AND a.created_at ") + op + " ?";
            params.emplace_back(std::string(name) == "to" ? *day + 86400 : *day);
        }
    }
    for (const char* column : {"store_id", "staff_id", "event_id"}) {
        if (auto v = ctx.request.QueryParam(column); v && !v->empty()) {
            where += std::string(" AND a.") + column + " = ?";
            params.emplace_back(static_cast<int64_t>(std::atoll(v->c_str())));
        }
    }
    auto rows = ctx.tx.Query(
        "SELECT a.store_id, st.name, a.staff_id, a.nps, a.csat, a.answers, COALESCE(sf.name, '') FROM survey_answers a "
        "JOIN stores st ON st.id = a.store_id LEFT JOIN staff sf ON sf.id = a.staff_id" + where + " ORDER BY a.created_at DESC",
        params);
    if (!rows.ok()) return rows.take_error();
    Tally all;
    std::map<int64_t, std::pair<std::string, Tally>> stores, staff;
    std::map<std::string, std::map<std::string, int64_t>> distributions;
    std::map<std::string, json> texts;
    for (const auto& r : *rows) {
        all.Add(r);
        auto& s = stores[r.Int(0)];
        s.first = r.Text(1);
        s.second.Add(r);
        if (!r.IsNull(2)) {
            auto& p = staff[r.Int(2)];
            p.first = r.Text(6);
            p.second.Add(r);
        }
        auto answers = json::parse(r.Text(5), nullptr, false);
        if (!answers.is_object()) continue;
        for (const auto& [key, value] : answers.items()) {
            if (value.is_string() && !value.empty()) {
                auto& list = texts[key];
                if (list.is_null()) list = json::array();
                if (list.size() < 50) list.push_back(value);
            }
            distributions[key][value.is_string() ? value.get<std::string>() : value.dump()]++;
        }
    }
    json questions = json::array();
    for (const auto& q : (*survey)["questions"]) {
        const std::string qid = q["id"];
        json one = {{"id", qid}, {"text", q["text"]}, {"kind", q["kind"]}, {"distribution", json::object()}};
        if (q["kind"] == "text") {
            one["texts"] = texts.count(qid) ? texts[qid] : json::array();
        } else {
            for (const auto& [value, count] : distributions[qid]) one["distribution"][value] = count;
        }
        questions.push_back(std::move(one));
    }
    auto group = [](const std::map<int64_t, std::pair<std::string, Tally>>& m, const char* id_key, const char* name_key) {
        json out = json::array();
        for (const auto& [gid, entry] : m) {
            out.push_back({{id_key, gid}, {name_key, entry.first}, {"answers", entry.second.answers},
                           {"nps", entry.second.Nps()}, {"csat", entry.second.Csat()}});
        }
        return out;
    };
    return http::JsonOk({{"answers", all.answers},
                         {"nps", all.Nps()},
                         {"csat", all.Csat()},
                         {"questions", questions},
                         {"stores", group(stores, "store_id", "store_name")},
                         {"staff", group(staff, "staff_id", "staff_name")}});
}

}  // namespace

void RegisterSurveyRoutes(http::Router& router) {
    using storage::TxMode;
    router.Add({.method = "GET", .pattern = "/api/v1/surveys", .permission = "surveys.manage", .tx = TxMode::kRead,
                .tag = "service", .summary = "Surveys 反馈问卷", .handler = ListSurveys});
    router.Add({.method = "POST", .pattern = "/api/v1/surveys", .permission = "surveys.manage", .tx = TxMode::kWrite,
                .tag = "service", .summary = "Create a survey (NPS, CSAT, choice and text questions)",
                .handler = CreateSurvey});
    router.Add({.method = "GET", .pattern = "/api/v1/surveys/{id}", .permission = "surveys.manage", .tx = TxMode::kRead,
                .tag = "service", .summary = "A survey", .handler = GetSurvey});
    router.Add({.method = "PUT", .pattern = "/api/v1/surveys/{id}", .permission = "surveys.manage", .tx = TxMode::kWrite,
                .tag = "service", .summary = "Edit a survey (send version)", .handler = UpdateSurvey});
    router.Add({.method = "POST", .pattern = "/api/v1/surveys/{id}/links", .permission = "service.use",
                .tx = TxMode::kWrite, .tag = "service", .summary = "A signed one-answer link for a member, sale or event",
                .handler = CreateLink});
    router.Add({.method = "GET", .pattern = "/api/v1/surveys/{id}/results", .permission = "surveys.manage",
                .tx = TxMode::kRead, .tag = "service", .summary = "NPS, CSAT and answers per store and staff member",
                .handler = Results});
    router.Add({.method = "GET", .pattern = "/api/v1/public/surveys/{token}", .permission = http::kPublic,
                .tx = TxMode::kRead, .tag = "public", .summary = "The survey behind a signed link (no sign-in)",
                .handler = PublicSurvey});
    router.Add({.method = "POST", .pattern = "/api/v1/public/surveys/{token}/answers", .permission = http::kPublic,
                .tx = TxMode::kWrite, .tag = "public", .summary = "Answer a survey once per link (no sign-in)",
                .handler = PublicAnswer});
}

}  // namespace storecrm::service
