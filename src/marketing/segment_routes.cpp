// Segments 客户分群: the field catalogue, a live count while the rules are edited, saved
// segments, their members (paged), an audited export, and turning a segment into a tag.
#include <chrono>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/money.hpp"
#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "http/paging.hpp"
#include "http/table_file.hpp"
#include "marketing/audience.hpp"
#include "marketing/routes.hpp"
#include "members/audience_epoch.hpp"
#include "service/refs.hpp"

namespace storecrm::marketing {
namespace {

using http::RequestContext;
using nlohmann::json;

constexpr const char* kSegmentSelect =
    "SELECT s.id, s.name, s.description, s.rules, s.member_count, s.counted_at, s.created_at, s.updated_at, s.version, "
    "s.created_by, st.name FROM segments s LEFT JOIN staff st ON st.id = s.created_by";

json SegmentJson(const storage::Row& r) {
    return {{"id", r.Int(0)},
            {"name", r.Text(1)},
            {"description", r.Text(2)},
            {"rules", json::parse(r.Text(3), nullptr, false)},
            {"member_count", r.Int(4)},
            {"counted_at", r.IsNull(5) ? json(nullptr) : json(FormatIsoUtc(r.Int(5)))},
            {"created_at", FormatIsoUtc(r.Int(6))},
            {"updated_at", FormatIsoUtc(r.Int(7))},
            {"version", r.Int(8)},
            {"created_by", r.IsNull(9) ? json(nullptr) : json{{"id", r.Int(9)}, {"name", r.Text(10)}}}};
}

Result<json> LoadSegment(RequestContext& ctx, int64_t id) {
    auto row = ctx.tx.QueryOne(std::string(kSegmentSelect) + " WHERE s.id = ?", {id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Error::NotFound();
    return SegmentJson(**row);
}

double MillisSince(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

Result<http::Response> Fields(RequestContext& ctx) {
    json fields = json::array();
    const bool zh = ctx.locale == Locale::kZhCN;
    for (const auto& f : SegmentFields()) {
        const char* kind = f.kind == FieldKind::kIds ? "ids" : f.kind == FieldKind::kCodes ? "codes" : "number";
        json ops = f.kind == FieldKind::kNumber ? json{"gte", "lte", "between"} : json{"in", "not_in"};
        if (std::string(f.name) == "tag") ops.push_back("all");
        fields.push_back({{"name", f.name},
                          {"kind", kind},
                          {"ops", ops},
                          {"windowed", f.windowed},
                          {"default_days", f.default_days},
                          {"label", zh ? f.zh : f.en},
                          {"codes", f.codes}});
    }
    auto defs = ctx.tx.Query("SELECT key, label, type, options FROM custom_field_defs WHERE status = 'active' ORDER BY id");
    if (!defs.ok()) return defs.take_error();
    for (const auto& r : *defs) {
        auto options = json::parse(r.Text(3), nullptr, false);
        json codes = json::array();
        if (options.is_array()) {
            for (const auto& o : options) {
                if (o.is_string()) codes.push_back(o);
                else if (o.is_object() && o.contains("value")) codes.push_back(o["value"]);
            }
        }
        fields.push_back({{"name", "custom." + r.Text(0)}, {"kind", "codes"}, {"ops", {"in", "not_in"}},
                          {"windowed", false}, {"default_days", 0}, {"label", r.Text(1)}, {"codes", codes},
                          {"custom_type", r.Text(2)}});
    }
    return http::JsonOk(json{{"fields", fields}});
}

// Reads {"rules": …} (and whatever else `more` reads) from a body.
Result<RuleGroup> ReadRules(http::BodyReader& body) {
    const json* raw = body.Raw("rules");
    if (!raw) {
        body.AddError("rules", "field.required");
        return RuleGroup{};
    }
    auto rules = ParseRules(*raw);
    if (!rules.ok()) {
        for (const auto& f : rules.error().fields) body.AddError(f.field, f.message.key, f.message.args);
        return RuleGroup{};
    }
    return rules;
}

Result<http::Response> Count(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto rules = ReadRules(*body);
    STORECRM_TRY(body->Finish());
    const auto started = std::chrono::steady_clock::now();
    auto set = EvaluateAudience(ctx, *rules, NowUnix());
    if (!set.ok()) return set.take_error();
    auto everyone = EvaluateAudience(ctx, RuleGroup{}, NowUnix());
    if (!everyone.ok()) return everyone.take_error();
    return http::JsonOk(json{{"count", set->size()}, {"of", everyone->size()}, {"elapsed_ms", MillisSince(started)}});
}

Result<http::Response> ListSegments(RequestContext& ctx) {
    auto page = http::ReadPage(ctx.request);
    if (!page.ok()) return page.take_error();
    storage::Params params;
    std::string where = " WHERE 1 = 1";
    if (auto q = ctx.request.QueryParam("q"); q && !q->empty()) {
        where += " AND s.name LIKE ?";
        params.emplace_back("%" + *q + "%");
    }
    auto total = ctx.tx.QueryOne("SELECT COUNT(*) FROM segments s" + where, params);
    if (!total.ok()) return total.take_error();
    params.emplace_back(page->limit);
    params.emplace_back(page->offset);
    auto rows = ctx.tx.Query(std::string(kSegmentSelect) + where + " ORDER BY s.updated_at DESC, s.id DESC LIMIT ? OFFSET ?",
                             params);
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) items.push_back(SegmentJson(r));
    return http::PageResponse(std::move(items), page->NextCursor((*total)->Int(0)), (*total)->Int(0));
}

struct SegmentInput {
    std::string name, description;
    RuleGroup rules;
};

Result<SegmentInput> ReadSegment(RequestContext& ctx, bool creating, const json& current) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    SegmentInput in{current.value("name", ""), current.value("description", ""), {}};
    if (auto v = body->Text("name", {.required = creating, .max_chars = 60, .min_chars = 1})) in.name = *v;
    if (auto v = body->Text("description", {.max_chars = 500, .multiline = true})) in.description = *v;
    if (creating || body->Has("rules")) {
        auto rules = ReadRules(*body);
        in.rules = std::move(*rules);
    } else {
        auto stored = ParseRules(current["rules"]);
        if (!stored.ok()) return stored.take_error();
        in.rules = std::move(*stored);
    }
    if (!creating) {
        auto version = body->Int("version", true, 1);
        STORECRM_TRY(body->Finish());
        STORECRM_TRY(http::CheckVersion(*version, current));
    } else {
        STORECRM_TRY(body->Finish());
    }
    return in;
}

Result<http::Response> CreateSegment(RequestContext& ctx) {
    auto in = ReadSegment(ctx, true, json::object());
    if (!in.ok()) return in.take_error();
    auto taken = ctx.tx.QueryOne("SELECT 1 FROM segments WHERE name = ?", {in->name});
    if (!taken.ok()) return taken.take_error();
    if (taken->has_value()) return Error::Conflict("name", "field.name_taken");
    const int64_t now = NowUnix();
    auto set = EvaluateAudience(ctx, in->rules, now);
    if (!set.ok()) return set.take_error();
    auto row = ctx.tx.QueryOne(
        "INSERT INTO segments (name, description, rules, member_count, counted_at, created_by, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {in->name, in->description, RulesJson(in->rules).dump(), static_cast<int64_t>(set->size()), now,
         ctx.principal.StaffId(), now, now});
    if (!row.ok()) return row.take_error();
    const int64_t id = (*row)->Int(0);
    STORECRM_TRY(ctx.Audit({"segment.create", "segment", std::to_string(id), in->name}));
    auto saved = LoadSegment(ctx, id);
    if (!saved.ok()) return saved.take_error();
    return http::JsonOk(*saved, 201);
}

Result<http::Response> GetSegment(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto seg = LoadSegment(ctx, *id);
    if (!seg.ok()) return seg.take_error();
    // The saved count is of when it was saved; the live one is the caller's stores now.
    auto rules = ParseRules((*seg)["rules"]);
    if (!rules.ok()) return rules.take_error();
    auto set = EvaluateAudience(ctx, *rules, NowUnix());
    if (!set.ok()) return set.take_error();
    (*seg)["live_count"] = set->size();
    return http::JsonOk(*seg);
}

Result<http::Response> UpdateSegment(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto current = LoadSegment(ctx, *id);
    if (!current.ok()) return current.take_error();
    auto in = ReadSegment(ctx, false, *current);
    if (!in.ok()) return in.take_error();
    auto taken = ctx.tx.QueryOne("SELECT 1 FROM segments WHERE name = ? AND id <> ?", {in->name, *id});
    if (!taken.ok()) return taken.take_error();
    if (taken->has_value()) return Error::Conflict("name", "field.name_taken");
    const int64_t now = NowUnix();
    auto set = EvaluateAudience(ctx, in->rules, now);
    if (!set.ok()) return set.take_error();
    STORECRM_TRY(ctx.tx.Exec(
        "UPDATE segments SET name = ?, description = ?, rules = ?, member_count = ?, counted_at = ?, updated_at = ?, "
        "version = version + 1 WHERE id = ?",
        {in->name, in->description, RulesJson(in->rules).dump(), static_cast<int64_t>(set->size()), now, now, *id}));
    STORECRM_TRY(ctx.Audit({"segment.update", "segment", std::to_string(*id), in->name}));
    auto saved = LoadSegment(ctx, *id);
    if (!saved.ok()) return saved.take_error();
    return http::JsonOk(*saved);
}

Result<http::Response> DeleteSegment(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto current = LoadSegment(ctx, *id);
    if (!current.ok()) return current.take_error();
    auto used = ctx.tx.QueryOne("SELECT COUNT(*) FROM campaigns WHERE segment_id = ?", {*id});
    if (!used.ok()) return used.take_error();
    if ((*used)->Int(0) > 0) return Error::Conflict("id", "segment.in_use");
    STORECRM_TRY(ctx.tx.Exec("DELETE FROM segments WHERE id = ?", {*id}));
    STORECRM_TRY(ctx.Audit({"segment.delete", "segment", std::to_string(*id), (*current)["name"].get<std::string>()}));
    return http::Response::NoContent();
}

// The members of a saved segment, or of the rules in ?rules= (URL-encoded JSON), as they are now.
Result<MemberSet> SegmentMembers(RequestContext& ctx, int64_t id) {
    auto seg = LoadSegment(ctx, id);
    if (!seg.ok()) return seg.take_error();
    auto rules = ParseRules((*seg)["rules"]);
    if (!rules.ok()) return rules.take_error();
    return EvaluateAudience(ctx, *rules, NowUnix());
}

constexpr const char* kMemberRowColumns =
    ", st.name, t.name, m.total_spend, m.last_purchase_at, m.points_balance, v.rfm_class, v.lifecycle, v.value_group "
    "FROM members m JOIN stores st ON st.id = m.home_store_id LEFT JOIN tiers t ON t.id = m.tier_id "
    "LEFT JOIN member_values v ON v.member_id = m.id";

Result<storage::Rows> MemberRows(RequestContext& ctx, const std::vector<uint32_t>& ids) {
    storage::Rows out;
    constexpr size_t kChunk = 500;
    for (size_t start = 0; start < ids.size(); start += kChunk) {
        storage::Params params;
        const std::string in = storage::InList(ids, start, start + kChunk, params);
        auto rows = ctx.tx.Query("SELECT " + service::MemberRefColumns("m") + kMemberRowColumns + " WHERE m.id IN (" +
                                     in + ") ORDER BY m.id",
                                 params);
        if (!rows.ok()) return rows.take_error();
        for (auto& r : *rows) out.push_back(std::move(r));
    }
    return out;
}

Result<http::Response> ListMembers(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto page = http::ReadPage(ctx.request);
    if (!page.ok()) return page.take_error();
    auto set = SegmentMembers(ctx, *id);
    if (!set.ok()) return set.take_error();
    auto rows = MemberRows(ctx, set->Ids(static_cast<uint64_t>(page->offset), static_cast<uint64_t>(page->limit)));
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    constexpr int w = service::kMemberRefWidth;
    for (const auto& r : *rows) {
        json m = service::MemberRef(ctx, r, 0);
        m["store_name"] = r.Text(w);
        m["tier"] = r.IsNull(w + 1) ? json(nullptr) : json(r.Text(w + 1));
        m["total_spend"] = r.Int(w + 2);
        m["last_purchase_at"] = r.IsNull(w + 3) ? json(nullptr) : json(FormatIsoUtc(r.Int(w + 3)));
        m["points_balance"] = r.Int(w + 4);
        m["rfm_class"] = r.IsNull(w + 5) ? "none" : r.Text(w + 5);
        m["lifecycle"] = r.IsNull(w + 6) ? "prospect" : r.Text(w + 6);
        m["value_group"] = r.IsNull(w + 7) ? "prospect" : r.Text(w + 7);
        items.push_back(std::move(m));
    }
    const auto total = static_cast<int64_t>(set->size());
    return http::PageResponse(std::move(items), page->NextCursor(total), total);
}

Result<http::Response> ExportSegment(RequestContext& ctx) {
    if (!ctx.principal.Has("members.export")) return Error::Forbidden();
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto seg = LoadSegment(ctx, *id);
    if (!seg.ok()) return seg.take_error();
    auto set = SegmentMembers(ctx, *id);
    if (!set.ok()) return set.take_error();
    auto rows = MemberRows(ctx, set->Ids());
    if (!rows.ok()) return rows.take_error();
    const bool zh = ctx.locale == Locale::kZhCN;
    std::vector<CsvRow> table;
    table.push_back(zh ? CsvRow{"会员号", "姓名", "手机", "门店", "等级", "累计消费（元）", "最近购买", "积分", "RFM 分类", "生命周期", "价值分群"}
                       : CsvRow{"member_no", "name", "phone", "store", "tier", "total_spend_yuan", "last_purchase", "points",
                                "rfm_class", "lifecycle", "value_group"});
    constexpr int w = service::kMemberRefWidth;
    for (const auto& r : *rows) {
        json m = service::MemberRef(ctx, r, 0);
        table.push_back({m.value("member_no", ""), m.value("name", ""), m["phone"].is_string() ? m["phone"].get<std::string>() : "",
                         r.Text(w), r.Text(w + 1), FormatYuan(r.Int(w + 2)),
                         r.IsNull(w + 3) ? "" : FormatIsoUtc(r.Int(w + 3)).substr(0, 10), std::to_string(r.Int(w + 4)),
                         r.IsNull(w + 5) ? "none" : r.Text(w + 5), r.IsNull(w + 6) ? "prospect" : r.Text(w + 6),
                         r.IsNull(w + 7) ? "prospect" : r.Text(w + 7)});
    }
    const bool excel = ctx.request.QueryParam("format").value_or("csv") == "xlsx";
    STORECRM_TRY(ctx.Audit({"segment.export", "segment", std::to_string(*id),
                            json{{"name", (*seg)["name"]}, {"rows", rows->size()}, {"format", excel ? "xlsx" : "csv"},
                                 {"pii", ctx.principal.Has("members.pii")}}.dump()}));
    return http::TableFile("segment-" + std::to_string(*id), table, excel);
}

Result<http::Response> TagSegment(RequestContext& ctx) {
    if (!ctx.principal.Has("tags.manage")) return Error::Forbidden();
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto seg = LoadSegment(ctx, *id);
    if (!seg.ok()) return seg.take_error();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto tag_id = body->Int("tag_id", true, 1);
    STORECRM_TRY(body->Finish());
    auto tag = ctx.tx.QueryOne("SELECT name FROM tags WHERE id = ?", {*tag_id});
    if (!tag.ok()) return tag.take_error();
    if (!tag->has_value()) return Error::Field("tag_id", "field.not_found");
    auto set = SegmentMembers(ctx, *id);
    if (!set.ok()) return set.take_error();
    const int64_t now = NowUnix();
    int64_t added = 0;
    for (uint32_t member : set->Ids()) {
        auto r = ctx.tx.Exec("INSERT INTO member_tags (member_id, tag_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                             {static_cast<int64_t>(member), *tag_id, now});
        if (!r.ok()) return r.take_error();
        added += r->changes;
    }
    STORECRM_TRY(members::BumpAudienceEpoch(ctx.tx));
    STORECRM_TRY(ctx.Audit({"segment.tag", "segment", std::to_string(*id),
                            json{{"tag_id", *tag_id}, {"tag", (*tag)->Text(0)}, {"members", set->size()}, {"added", added}}.dump()}));
    return http::JsonOk(json{{"members", set->size()}, {"added", added}});
}

}  // namespace

void RegisterSegmentRoutes(http::Router& router) {
    using storage::TxMode;
    router.Add({.method = "GET", .pattern = "/api/v1/segments/fields", .permission = "segments.manage",
                .tag = "segments", .summary = "The fields, operators and codes a segment rule may use", .handler = Fields});
    router.Add({.method = "POST", .pattern = "/api/v1/segments/count", .permission = "segments.manage",
                .tag = "segments", .summary = "Count the members matching rules (live, within the caller's stores)",
                .handler = Count});
    router.Add({.method = "GET", .pattern = "/api/v1/segments", .permission = "segments.manage", .tag = "segments",
                .summary = "List saved segments", .handler = ListSegments});
    router.Add({.method = "POST", .pattern = "/api/v1/segments", .permission = "segments.manage", .tx = TxMode::kWrite,
                .tag = "segments", .summary = "Save a segment", .handler = CreateSegment, .prepare = CatchUpAudience});
    router.Add({.method = "GET", .pattern = "/api/v1/segments/{id}", .permission = "segments.manage", .tag = "segments",
                .summary = "A segment with its live count", .handler = GetSegment});
    router.Add({.method = "PUT", .pattern = "/api/v1/segments/{id}", .permission = "segments.manage", .tx = TxMode::kWrite,
                .tag = "segments", .summary = "Change a segment", .handler = UpdateSegment, .prepare = CatchUpAudience});
    router.Add({.method = "DELETE", .pattern = "/api/v1/segments/{id}", .permission = "segments.manage",
                .tx = TxMode::kWrite, .tag = "segments", .summary = "Delete a segment no campaign uses",
                .handler = DeleteSegment});
    router.Add({.method = "GET", .pattern = "/api/v1/segments/{id}/members", .permission = "segments.manage",
                .tag = "segments", .summary = "The segment's members now (paged)", .handler = ListMembers});
    router.Add({.method = "GET", .pattern = "/api/v1/segments/{id}/export", .permission = "segments.manage",
                .tag = "segments", .summary = "Export the segment's members (CSV or Excel; needs members.export; audited)",
                .handler = ExportSegment});
    router.Add({.method = "POST", .pattern = "/api/v1/segments/{id}/tag", .permission = "segments.manage",
                .tx = TxMode::kWrite, .tag = "segments", .summary = "Give the segment's members a tag (needs tags.manage)",
                .handler = TagSegment, .prepare = CatchUpAudience});
}

}  // namespace storecrm::marketing
