// Automatic tags 自动标签 (/tag-rules) and a member's value groups (/members/{id}/values).
#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "marketing/audience.hpp"
#include "marketing/routes.hpp"
#include "marketing/tag_rules.hpp"

namespace storecrm::marketing {
namespace {

using http::RequestContext;
using nlohmann::json;

constexpr const char* kRuleSelect =
    "SELECT r.id, r.tag_id, t.name, r.rules, r.enabled, r.last_run_at, r.last_members, r.created_at, r.updated_at, "
    "r.version FROM tag_rules r JOIN tags t ON t.id = r.tag_id";

json RuleJson(const storage::Row& r) {
    return {{"id", r.Int(0)},
            {"tag", {{"id", r.Int(1)}, {"name", r.Text(2)}}},
            {"rules", json::parse(r.Text(3), nullptr, false)},
            {"enabled", r.Int(4) != 0},
            {"last_run_at", r.IsNull(5) ? json(nullptr) : json(FormatIsoUtc(r.Int(5)))},
            {"last_members", r.Int(6)},
            {"created_at", FormatIsoUtc(r.Int(7))},
            {"updated_at", FormatIsoUtc(r.Int(8))},
            {"version", r.Int(9)}};
}

Result<json> LoadRule(RequestContext& ctx, int64_t id) {
    auto row = ctx.tx.QueryOne(std::string(kRuleSelect) + " WHERE r.id = ?", {id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Error::NotFound();
    return RuleJson(**row);
}

Result<http::Response> ListRules(RequestContext& ctx) {
    auto rows = ctx.tx.Query(std::string(kRuleSelect) + " ORDER BY t.name, r.id");
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) items.push_back(RuleJson(r));
    return http::PageResponse(items, "", static_cast<int64_t>(items.size()));
}

struct RuleInput {
    int64_t tag_id = 0;
    RuleGroup rules;
    bool enabled = true;
};

Result<RuleInput> ReadRule(RequestContext& ctx, bool creating, const json& current) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    RuleInput in;
    in.tag_id = creating ? 0 : current["tag"]["id"].get<int64_t>();
    in.enabled = creating ? true : current["enabled"].get<bool>();
    if (creating) {
        if (auto v = body->Int("tag_id", true, 1)) in.tag_id = *v;
    }
    if (auto v = body->Bool("enabled")) in.enabled = *v;
    const json* raw = body->Raw("rules");
    const json source = raw ? *raw : (creating ? json() : current["rules"]);
    if (source.is_null()) {
        body->AddError("rules", "field.required");
    } else {
        auto rules = ParseRules(source);
        if (!rules.ok()) {
            for (const auto& f : rules.error().fields) body->AddError(f.field, f.message.key, f.message.args);
        } else {
            in.rules = std::move(*rules);
        }
    }
    std::optional<int64_t> version;
    if (!creating) version = body->Int("version", true, 1);
    STORECRM_TRY(body->Finish());
    if (version) STORECRM_TRY(http::CheckVersion(*version, current));
    if (creating) {
        auto tag = ctx.tx.QueryOne("SELECT 1 FROM tags WHERE id = ?", {in.tag_id});
        if (!tag.ok()) return tag.take_error();
        if (!tag->has_value()) return Error::Field("tag_id", "field.not_found");
        auto taken = ctx.tx.QueryOne("SELECT 1 FROM tag_rules WHERE tag_id = ?", {in.tag_id});
        if (!taken.ok()) return taken.take_error();
        if (taken->has_value()) return Error::Conflict("tag_id", "tag_rule.tag_has_rule");
    }
    return in;
}

Result<http::Response> CreateRule(RequestContext& ctx) {
    auto in = ReadRule(ctx, true, json::object());
    if (!in.ok()) return in.take_error();
    const int64_t now = NowUnix();
    auto row = ctx.tx.QueryOne(
        "INSERT INTO tag_rules (tag_id, rules, enabled, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) "
        "RETURNING id",
        {in->tag_id, RulesJson(in->rules).dump(), in->enabled ? 1 : 0, ctx.principal.StaffId(), now, now});
    if (!row.ok()) return row.take_error();
    const int64_t id = (*row)->Int(0);
    STORECRM_TRY(ctx.Audit({"tag_rule.create", "tag_rule", std::to_string(id), RulesJson(in->rules).dump()}));
    auto saved = LoadRule(ctx, id);
    if (!saved.ok()) return saved.take_error();
    return http::JsonOk(*saved, 201);
}

Result<http::Response> UpdateRule(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto current = LoadRule(ctx, *id);
    if (!current.ok()) return current.take_error();
    auto in = ReadRule(ctx, false, *current);
    if (!in.ok()) return in.take_error();
    STORECRM_TRY(ctx.tx.Exec("UPDATE tag_rules SET rules = ?, enabled = ?, updated_at = ?, version = version + 1 WHERE id = ?",
                             {RulesJson(in->rules).dump(), in->enabled ? 1 : 0, NowUnix(), *id}));
    STORECRM_TRY(ctx.Audit({"tag_rule.update", "tag_rule", std::to_string(*id), RulesJson(in->rules).dump()}));
    auto saved = LoadRule(ctx, *id);
    if (!saved.ok()) return saved.take_error();
    return http::JsonOk(*saved);
}

Result<http::Response> DeleteRule(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto current = LoadRule(ctx, *id);
    if (!current.ok()) return current.take_error();
    // The tag stays on the members who have it; it is simply no longer kept by a rule.
    STORECRM_TRY(ctx.tx.Exec("DELETE FROM tag_rules WHERE id = ?", {*id}));
    STORECRM_TRY(ctx.Audit({"tag_rule.delete", "tag_rule", std::to_string(*id), (*current)["tag"]["name"].get<std::string>()}));
    return http::Response::NoContent();
}

// Runs in its own write transaction (a read route, like the jobs' "run now").
Result<http::Response> RunRule(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto current = LoadRule(ctx, *id);
    if (!current.ok()) return current.take_error();
    auto outcome = ApplyTagRules(ctx.services, NowUnix(), nullptr, *id);
    if (!outcome.ok()) return outcome.take_error();
    STORECRM_TRY(ctx.Audit({"tag_rule.run", "tag_rule", std::to_string(*id),
                            json{{"added", outcome->added}, {"removed", outcome->removed}}.dump()}));
    return http::JsonOk(json{{"added", outcome->added}, {"removed", outcome->removed}});
}

Result<http::Response> MemberValues(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto member = ctx.tx.QueryOne("SELECT home_store_id FROM members WHERE id = ?", {*id});
    if (!member.ok()) return member.take_error();
    if (!member->has_value() || !ctx.principal.CanAccessStore((*member)->Int(0))) return Error::NotFound();
    auto row = ctx.tx.QueryOne(
        "SELECT r, f, m, rfm_class, lifecycle, value_group, updated_at FROM member_values WHERE member_id = ?", {*id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) {
        return http::JsonOk(json{{"r", 0}, {"f", 0}, {"m", 0}, {"rfm_class", "none"}, {"lifecycle", "prospect"},
                                 {"value_group", "prospect"}, {"updated_at", nullptr}});
    }
    const auto& r = **row;
    return http::JsonOk(json{{"r", r.Int(0)}, {"f", r.Int(1)}, {"m", r.Int(2)}, {"rfm_class", r.Text(3)},
                             {"lifecycle", r.Text(4)}, {"value_group", r.Text(5)}, {"updated_at", FormatIsoUtc(r.Int(6))}});
}

}  // namespace

void RegisterTagRuleRoutes(http::Router& router) {
    using storage::TxMode;
    router.Add({.method = "GET", .pattern = "/api/v1/tag-rules", .permission = "segments.manage", .tag = "segments",
                .summary = "Tags kept by rules", .handler = ListRules});
    router.Add({.method = "POST", .pattern = "/api/v1/tag-rules", .permission = "segments.manage", .tx = TxMode::kWrite,
                .tag = "segments", .summary = "Keep a tag by a rule", .handler = CreateRule});
    router.Add({.method = "PUT", .pattern = "/api/v1/tag-rules/{id}", .permission = "segments.manage",
                .tx = TxMode::kWrite, .tag = "segments", .summary = "Change a tag rule", .handler = UpdateRule});
    router.Add({.method = "DELETE", .pattern = "/api/v1/tag-rules/{id}", .permission = "segments.manage",
                .tx = TxMode::kWrite, .tag = "segments", .summary = "Stop keeping a tag by a rule", .handler = DeleteRule});
    router.Add({.method = "POST", .pattern = "/api/v1/tag-rules/{id}/run", .permission = "segments.manage",
                .tag = "segments", .summary = "Apply a tag rule to every member now", .handler = RunRule});
    router.Add({.method = "GET", .pattern = "/api/v1/members/{id}/values", .permission = "members.read",
                .tag = "members", .summary = "The member's RFM scores, class, lifecycle stage and value group",
                .handler = MemberValues});
}

}  // namespace storecrm::marketing
