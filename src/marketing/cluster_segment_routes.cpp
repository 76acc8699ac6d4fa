// 从聚类建分群: a cluster found by k-means becomes a segment. Clusters are recomputed from
// the sales, so their membership is frozen as a tag (group 聚类分群) at this moment and the
// segment is "has that tag": campaigns then reach exactly the members the analyst looked at.
#include <nlohmann/json.hpp>

#include "analytics/clusters.hpp"
#include "common/clock.hpp"
#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "marketing/routes.hpp"
#include "marketing/segment_rules.hpp"
#include "members/audience_epoch.hpp"
#include "members/minors.hpp"

namespace storecrm::marketing {
namespace {

using http::RequestContext;
using nlohmann::json;

constexpr const char* kClusterTagGroup = "聚类分群";

Result<int64_t> ClusterTagGroup(storage::Transaction& tx) {
    auto row = tx.QueryOne("SELECT id FROM tag_groups WHERE name = ?", {kClusterTagGroup});
    if (!row.ok()) return row.take_error();
    if (row->has_value()) return (**row).Int(0);
    auto made = tx.QueryOne("INSERT INTO tag_groups (name, created_at) VALUES (?, ?) RETURNING id", {kClusterTagGroup, NowUnix()});
    if (!made.ok()) return made.take_error();
    return (**made).Int(0);
}

Result<http::Response> SegmentFromCluster(RequestContext& ctx) {
    if (!ctx.principal.Has("tags.manage")) return Error::Forbidden();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto cluster_id = body->Int("cluster_id", true, 1, 8);
    auto name = body->Text("name", {.required = true, .max_chars = 50});
    STORECRM_TRY(body->Finish());
    auto run = analytics::RunClusters(ctx);
    if (!run.ok()) return run.take_error();
    auto members = run->members.find(*cluster_id);
    if (members == run->members.end()) return Error::Field("cluster_id", "field.not_found");
    json label;
    for (const auto& c : run->answer["clusters"]) {
        if (c["id"] == *cluster_id) label = c["label"];
    }
    auto taken = ctx.tx.QueryOne("SELECT 1 FROM segments WHERE name = ?", {*name});
    if (!taken.ok()) return taken.take_error();
    if (taken->has_value()) return Error::Conflict("name", "field.name_taken");
    auto group = ClusterTagGroup(ctx.tx);
    if (!group.ok()) return group.take_error();
    const int64_t now = NowUnix();
    auto tag = ctx.tx.QueryOne("INSERT INTO tags (group_id, name, created_at) VALUES (?, ?, ?) RETURNING id",
                               {*group, *name, now});
    if (!tag.ok()) {
        if (tag.error().code == ErrorCode::kConflict) return Error::Conflict("name", "field.name_taken");
        return tag.take_error();
    }
    const int64_t tag_id = (**tag).Int(0);
    // Only members the caller may see, and never a child (no profiling of minors).
    int64_t tagged = 0;
    for (int64_t member : members->second) {
        auto m = ctx.tx.QueryOne("SELECT home_store_id, COALESCE(birth_year, 0), COALESCE(birth_month, 0) FROM members "
                                 "WHERE id = ? AND status = 'active'",
                                 {member});
        if (!m.ok()) return m.take_error();
        if (!m->has_value() || !ctx.principal.CanAccessStore((**m).Int(0)) ||
            members::IsMinor(static_cast<int>((**m).Int(1)), static_cast<int>((**m).Int(2)), now)) {
            continue;
        }
        STORECRM_TRY(ctx.tx.Exec("INSERT INTO member_tags (member_id, tag_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                                 {member, tag_id, now}));
        ++tagged;
    }
    STORECRM_TRY(members::BumpAudienceEpoch(ctx.tx));
    auto rules = ParseRules(json{{"match", "all"}, {"rules", json::array({{{"field", "tag"}, {"op", "in"}, {"value", json::array({tag_id})}}})}});
    if (!rules.ok()) return rules.take_error();
    const std::string description = label.is_object() ? label.value(ctx.locale == Locale::kEn ? "en" : "zh", std::string()) : "";
    auto segment = ctx.tx.QueryOne(
        "INSERT INTO segments (name, description, rules, member_count, counted_at, created_by, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {*name, description, RulesJson(*rules).dump(), tagged, now, ctx.principal.StaffId(), now, now});
    if (!segment.ok()) return segment.take_error();
    const int64_t segment_id = (**segment).Int(0);
    STORECRM_TRY(ctx.Audit({"segment.from_cluster", "segment", std::to_string(segment_id),
                            json{{"cluster_id", *cluster_id}, {"tag_id", tag_id}, {"members", tagged},
                                 {"k", run->answer["k"]}, {"from", run->answer["from"]}, {"to", run->answer["to"]}}
                                .dump()}));
    return http::JsonOk(json{{"segment_id", segment_id}, {"tag_id", tag_id}, {"members", tagged}, {"description", description}}, 201);
}

}  // namespace

void RegisterClusterSegmentRoutes(http::Router& router) {
    router.Add({.method = "POST", .pattern = "/api/v1/segments/from-cluster", .permission = "segments.manage",
                .tx = storage::TxMode::kWrite, .tag = "segments",
                .summary = "Freeze a k-means cluster as a tag and make a segment of it (?from&to&k&features as the clusters report)",
                .handler = SegmentFromCluster});
}

}  // namespace storecrm::marketing
