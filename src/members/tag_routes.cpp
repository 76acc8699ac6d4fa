// Tag library (标签体系): preset and custom tag groups, tags with colours and member counts.
#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "members/audience_epoch.hpp"
#include "members/routes.hpp"

namespace storecrm::members {
namespace {

using http::RequestContext;
using nlohmann::json;

bool IsColor(const std::string& c) {
    if (c.empty()) return true;
    if (c.size() != 7 || c[0] != '#') return false;
    return c.find_first_not_of("0123456789abcdefABCDEF", 1) == std::string::npos;
}

Result<http::Response> ListGroups(RequestContext& ctx) {
    auto rows = ctx.tx.Query("SELECT id, name, preset FROM tag_groups ORDER BY preset DESC, id");
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) items.push_back({{"id", r.Int(0)}, {"name", r.Text(1)}, {"preset", r.Int(2) != 0}});
    return http::PageResponse(std::move(items), "", static_cast<int64_t>(rows->size()));
}

Result<http::Response> CreateGroup(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto name = body->Text("name", {.required = true, .max_chars = 32});
    STORECRM_TRY(body->Finish());
    auto taken = ctx.tx.QueryOne("SELECT 1 FROM tag_groups WHERE name = ?", {*name});
    if (!taken.ok()) return taken.take_error();
    if (taken->has_value()) return Error::Conflict("name", "field.name_taken");
    auto row = ctx.tx.QueryOne("INSERT INTO tag_groups (name, preset, created_at) VALUES (?, 0, ?) RETURNING id",
                               {*name, NowUnix()});
    if (!row.ok()) return row.take_error();
    const int64_t id = (**row).Int(0);
    STORECRM_TRY(ctx.Audit({"tag_group.create", "tag_group", std::to_string(id), json{{"name", *name}}.dump()}));
    return http::JsonOk(json{{"id", id}, {"name", *name}, {"preset", false}}, 201);
}

// Member counts respect the caller's store scope.
std::string CountSql(RequestContext& ctx, storage::Params& params) {
    return "(SELECT COUNT(*) FROM member_tags mt JOIN members m ON m.id = mt.member_id WHERE mt.tag_id = t.id AND "
           "m.status = 'active'" + security::StoreScopeClause(ctx.principal, "m.home_store_id", params) + ")";
}

Result<json> LoadTag(RequestContext& ctx, int64_t id) {
    storage::Params params;
    std::string count = CountSql(ctx, params);
    params.emplace_back(id);
    auto row = ctx.tx.QueryOne("SELECT t.id, t.group_id, t.name, t.color, " + count + " FROM tags t WHERE t.id = ?", params);
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Error::NotFound();
    const auto& r = **row;
    return json{{"id", r.Int(0)}, {"group_id", r.Int(1)}, {"name", r.Text(2)}, {"color", r.Text(3)}, {"member_count", r.Int(4)}};
}

Result<http::Response> ListTags(RequestContext& ctx) {
    storage::Params params;
    std::string sql = "SELECT t.id, t.group_id, t.name, t.color, " + CountSql(ctx, params) + " FROM tags t";
    if (auto group = ctx.request.QueryParam("group_id"); group && !group->empty()) {
        sql += " WHERE t.group_id = ?";
        params.emplace_back(std::atoll(group->c_str()));
    }
    sql += " ORDER BY t.group_id, t.id";
    auto rows = ctx.tx.Query(sql, params);
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) {
        items.push_back({{"id", r.Int(0)}, {"group_id", r.Int(1)}, {"name", r.Text(2)}, {"color", r.Text(3)}, {"member_count", r.Int(4)}});
    }
    return http::PageResponse(std::move(items), "", static_cast<int64_t>(rows->size()));
}

Result<http::Response> CreateTag(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto group_id = body->Int("group_id", true, 1);
    auto name = body->Text("name", {.required = true, .max_chars = 32});
    auto color = body->Text("color", {.max_chars = 7});
    if (color && !IsColor(*color)) body->AddError("color", "field.invalid_choice", {{"choices", "#RRGGBB"}});
    STORECRM_TRY(body->Finish());
    auto group = ctx.tx.QueryOne("SELECT 1 FROM tag_groups WHERE id = ?", {*group_id});
    if (!group.ok()) return group.take_error();
    if (!group->has_value()) return Error::Field("group_id", "field.not_found");
    auto taken = ctx.tx.QueryOne("SELECT 1 FROM tags WHERE group_id = ? AND name = ?", {*group_id, *name});
    if (!taken.ok()) return taken.take_error();
    if (taken->has_value()) return Error::Conflict("name", "field.name_taken");
    auto row = ctx.tx.QueryOne("INSERT INTO tags (group_id, name, color, created_at) VALUES (?, ?, ?, ?) RETURNING id",
                               {*group_id, *name, color.value_or(""), NowUnix()});
    if (!row.ok()) return row.take_error();
    const int64_t id = (**row).Int(0);
    STORECRM_TRY(ctx.Audit({"tag.create", "tag", std::to_string(id), json{{"name", *name}}.dump()}));
    auto tag = LoadTag(ctx, id);
    if (!tag.ok()) return tag.take_error();
    return http::JsonOk(*tag, 201);
}

Result<http::Response> UpdateTag(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto current = LoadTag(ctx, *id);
    if (!current.ok()) return current.take_error();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto name = body->Text("name", {.max_chars = 32});
    if (body->Has("name") && !name && !body->HasErrors()) body->AddError("name", "field.required");
    auto color = body->Text("color", {.max_chars = 7});
    if (color && !IsColor(*color)) body->AddError("color", "field.invalid_choice", {{"choices", "#RRGGBB"}});
    STORECRM_TRY(body->Finish());
    if (name && *name != (*current)["name"]) {
        auto taken = ctx.tx.QueryOne("SELECT 1 FROM tags WHERE group_id = ? AND name = ? AND id <> ?",
                                     {(*current)["group_id"].get<int64_t>(), *name, *id});
        if (!taken.ok()) return taken.take_error();
        if (taken->has_value()) return Error::Conflict("name", "field.name_taken");
    }
    STORECRM_TRY(ctx.tx.Exec("UPDATE tags SET name = COALESCE(?, name), color = COALESCE(?, color) WHERE id = ?",
                             {name, color, *id}));
    STORECRM_TRY(ctx.Audit({"tag.update", "tag", std::to_string(*id), "{}"}));
    auto tag = LoadTag(ctx, *id);
    if (!tag.ok()) return tag.take_error();
    return http::JsonOk(*tag);
}

Result<http::Response> DeleteTag(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto current = LoadTag(ctx, *id);
    if (!current.ok()) return current.take_error();
    STORECRM_TRY(ctx.tx.Exec("DELETE FROM member_tags WHERE tag_id = ?", {*id}));
    STORECRM_TRY(ctx.tx.Exec("DELETE FROM tag_rules WHERE tag_id = ?", {*id}));
    STORECRM_TRY(ctx.tx.Exec("DELETE FROM tags WHERE id = ?", {*id}));
    STORECRM_TRY(BumpAudienceEpoch(ctx.tx));
    STORECRM_TRY(ctx.Audit({"tag.delete", "tag", std::to_string(*id), json{{"name", (*current)["name"]}}.dump()}));
    return http::Response::NoContent();
}

}  // namespace

void RegisterTagRoutes(http::Router& router) {
    using storage::TxMode;
    router.Add({.method = "GET", .pattern = "/api/v1/tag-groups", .permission = "members.read", .tx = TxMode::kRead,
                .tag = "tags", .summary = "Tag groups", .handler = ListGroups});
    router.Add({.method = "POST", .pattern = "/api/v1/tag-groups", .permission = "tags.manage", .tx = TxMode::kWrite,
                .tag = "tags", .summary = "Create a tag group", .handler = CreateGroup});
    router.Add({.method = "GET", .pattern = "/api/v1/tags", .permission = "members.read", .tx = TxMode::kRead,
                .tag = "tags", .summary = "Tags with member counts (?group_id=)", .handler = ListTags});
    router.Add({.method = "POST", .pattern = "/api/v1/tags", .permission = "tags.manage", .tx = TxMode::kWrite,
                .tag = "tags", .summary = "Create a tag", .handler = CreateTag});
    router.Add({.method = "PUT", .pattern = "/api/v1/tags/{id}", .permission = "tags.manage", .tx = TxMode::kWrite,
                .tag = "tags", .summary = "Rename or recolour a tag", .handler = UpdateTag});
    router.Add({.method = "DELETE", .pattern = "/api/v1/tags/{id}", .permission = "tags.manage", .tx = TxMode::kWrite,
                .tag = "tags", .summary = "Delete a tag (removes it from members)", .handler = DeleteTag});
}

}  // namespace storecrm::members
