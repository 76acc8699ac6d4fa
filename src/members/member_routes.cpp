// Members (会员): register, find, view (360°), edit with history, archive, merge duplicates,
// anonymise, bulk-tag and export.
#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/csv.hpp"
#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "http/paging.hpp"
#include "members/member_search.hpp"
#include "members/member_service.hpp"
#include "members/audience_epoch.hpp"
#include "members/routes.hpp"

namespace storecrm::members {
namespace {

using http::RequestContext;
using nlohmann::json;
using storage::Value;

constexpr int64_t kExportLimit = 100000;

Result<MemberQuery> QueryFromRequest(RequestContext& ctx) {
    CustomFilters custom;
    for (const auto& [key, value] : ctx.request.query) {
        if (key.rfind("cf.", 0) == 0) custom.emplace_back(key.substr(3), value);
    }
    return BuildMemberQuery([&](const std::string& name) { return ctx.request.QueryParam(name); }, custom,
                            ctx.principal, *ctx.services.vault, ctx.tx.dialect());
}

// Renders a page of members (tags in one query) and audits an unmasked view.
Result<http::Response> RenderPage(RequestContext& ctx, MemberRepository& repo, const std::vector<MemberRecord>& records,
                                  const http::Page& page, int64_t total) {
    const bool pii = ctx.principal.Has("members.pii");
    std::vector<int64_t> ids;
    for (const auto& record : records) ids.push_back(record.id);
    auto tags = repo.TagsOf(ids);
    if (!tags.ok()) return tags.take_error();
    json items = json::array();
    for (const auto& record : records) {
        auto it = tags->find(record.id);
        items.push_back(MemberListJson(record, it == tags->end() ? json::array() : it->second, pii));
    }
    if (pii && !ids.empty()) {
        STORECRM_TRY(ctx.Audit({"member.list_pii", "member", "", json{{"ids", ids}}.dump()}));
    }
    return http::PageResponse(std::move(items), page.NextCursor(total), total);
}

// A name / pinyin / initials search with no other filter and no explicit sort: answered from
// the search-key index alone, best match first (shorter and alphabetically earlier keys), so
// a two-letter query over a million members reads 20 members instead of sorting thousands.
// A member matching through several keys counts once, at its smallest matching key.
Result<http::Response> ListByName(RequestContext& ctx, const MemberQuery& query, const http::Page& page) {
    const std::string& key = *query.name_key;
    const std::string upper = key + "\xF4\x8F\xBF\xBF";
    storage::Params filter_params;
    std::string filter = query.status == "all" ? " AND k.status IN ('active', 'archived')" : " AND k.status = ?";
    if (query.status != "all") filter_params.emplace_back(query.status);
    filter += security::StoreScopeClause(ctx.principal, "k.store_id", filter_params);

    storage::Params params{key, upper};
    params.insert(params.end(), filter_params.begin(), filter_params.end());
    params.insert(params.end(), {Value(key), Value(page.limit), Value(page.offset)});
    auto rows = ctx.tx.Query(
        "SELECT k.member_id FROM member_search_keys k WHERE k.key >= ? AND k.key < ?" + filter +
            " AND NOT EXISTS (SELECT 1 FROM member_search_keys k2 WHERE k2.member_id = k.member_id AND k2.key >= ? "
            "AND k2.key < k.key) ORDER BY k.key, k.member_id LIMIT ? OFFSET ?",
        params);
    if (!rows.ok()) return rows.take_error();
    int64_t total = static_cast<int64_t>(rows->size());
    if (page.offset > 0 || total >= page.limit) {
        storage::Params count_params{key, upper};
        count_params.insert(count_params.end(), filter_params.begin(), filter_params.end());
        auto counted = ctx.tx.QueryOne(
            "SELECT COUNT(DISTINCT k.member_id) FROM member_search_keys k WHERE k.key >= ? AND k.key < ?" + filter,
            count_params);
        if (!counted.ok()) return counted.take_error();
        total = (*counted)->Int(0);
    }
    MemberRepository repo(ctx.tx, *ctx.services.vault);
    std::vector<MemberRecord> records;
    if (!rows->empty()) {
        std::string sql = std::string("SELECT ") + kMemberColumns + " FROM members m WHERE m.id IN (";
        storage::Params ids;
        for (const auto& row : *rows) ids.emplace_back(row.Int(0));
        sql += storage::PaddedInList(ids, 0);
        auto members = ctx.tx.Query(sql + ")", ids);
        if (!members.ok()) return members.take_error();
        std::map<int64_t, MemberRecord> by_id;
        for (const auto& row : *members) {
            MemberRecord record = repo.RowToRecord(row);
            by_id.emplace(record.id, std::move(record));
        }
        for (const auto& row : *rows) {
            auto it = by_id.find(row.Int(0));
            if (it != by_id.end()) records.push_back(std::move(it->second));
        }
    }
    return RenderPage(ctx, repo, records, page, total);
}

Result<http::Response> ListMembers(RequestContext& ctx) {
    auto page = http::ReadPage(ctx.request);
    if (!page.ok()) return page.take_error();
    auto query = QueryFromRequest(ctx);
    if (!query.ok()) return query.take_error();
    if (query->name_key && !query->explicit_sort && !query->other_filters && query->status != "anonymized") {
        return ListByName(ctx, *query, *page);
    }
    storage::Params params = query->params;
    params.emplace_back(page->limit);
    params.emplace_back(page->offset);
    auto rows = ctx.tx.Query(std::string("SELECT ") + kMemberColumns + " FROM members m" + query->where +
                                 query->order_by + " LIMIT ? OFFSET ?",
                             params);
    if (!rows.ok()) return rows.take_error();
    // A first page that is not full is the whole result: no need to count (the common case
    // for a till's phone or last-4 lookup).
    int64_t total = static_cast<int64_t>(rows->size());
    if (page->offset > 0 || total >= page->limit) {
        auto counted = ctx.tx.QueryOne("SELECT COUNT(*) FROM members m" + query->where, query->params);
        if (!counted.ok()) return counted.take_error();
        total = (*counted)->Int(0);
    }
    MemberRepository repo(ctx.tx, *ctx.services.vault);
    std::vector<MemberRecord> records;
    for (const auto& row : *rows) records.push_back(repo.RowToRecord(row));
    return RenderPage(ctx, repo, records, *page, total);
}

Result<http::Response> CreateMember(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    MemberRecord record;
    MemberInput input;
    STORECRM_TRY(ReadMemberInput(*body, ctx, record, true, input));
    MemberRepository repo(ctx.tx, *ctx.services.vault);
    STORECRM_TRY(SaveNewMember(ctx, repo, record, input));
    auto out = MemberJsonFor(ctx, repo, record);
    if (!out.ok()) return out.take_error();
    return http::JsonOk(*out, 201);
}

Result<http::Response> GetMember(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    MemberRepository repo(ctx.tx, *ctx.services.vault);
    auto member = LoadVisibleMember(ctx, repo, *id);
    if (!member.ok()) return member.take_error();
    auto out = MemberJsonFor(ctx, repo, member->record);
    if (!out.ok()) return out.take_error();
    if (member->merged_from) (*out)["merged_from"] = *member->merged_from;
    return http::JsonOk(*out);
}

// A stale version: 409 with the member as it is now and who changed it last.
Error StaleEdit(RequestContext& ctx, MemberRepository& repo, const MemberRecord& current) {
    Error e = Error::VersionConflict();
    auto now = MemberJsonFor(ctx, repo, current);
    json extra = {{"changed_by", {{"id", current.updated_by ? json(*current.updated_by) : json(nullptr)},
                                  {"name", current.updated_by_name}}},
                  {"changed_at", FormatIsoUtc(current.updated_at)}};
    if (now.ok()) extra["current"] = *now;
    e.extra_json = extra.dump();
    return e;
}

Result<int64_t> ExpectedVersion(RequestContext& ctx, http::BodyReader& body) {
    if (auto header = ctx.request.Header("if-match"); !header.empty() && !body.Has("version")) {
        std::string text(header);
        text.erase(std::remove(text.begin(), text.end(), '"'), text.end());
        try {
            return std::stoll(text);
        } catch (...) {
            return Error::Field("version", "field.must_be_integer");
        }
    }
    auto version = body.Int("version", true, 1);
    if (!version) {
        STORECRM_TRY(body.Finish());
        return Error::Field("version", "field.required");
    }
    return *version;
}

Result<http::Response> UpdateMember(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    MemberRepository repo(ctx.tx, *ctx.services.vault);
    auto member = LoadVisibleMember(ctx, repo, *id);
    if (!member.ok()) return member.take_error();
    if (member->merged_from) return Error::NotFound();
    if (member->record.status == "anonymized") return Error::NotFound();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto expected = ExpectedVersion(ctx, *body);
    if (!expected.ok()) return expected.take_error();
    MemberRecord after = member->record;
    MemberInput input;
    STORECRM_TRY(ReadMemberInput(*body, ctx, after, false, input));
    if (*expected != member->record.version) return StaleEdit(ctx, repo, member->record);
    auto saved = SaveMemberChanges(ctx, repo, member->record, after, input, *expected);
    if (!saved.ok()) {
        if (saved.error().code == ErrorCode::kVersionConflict) return StaleEdit(ctx, repo, member->record);
        return saved.take_error();
    }
    auto fresh = repo.Find(*id);
    if (!fresh.ok()) return fresh.take_error();
    auto out = MemberJsonFor(ctx, repo, **fresh);
    if (!out.ok()) return out.take_error();
    return http::JsonOk(*out);
}

Result<http::Response> MemberHistory(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto page = http::ReadPage(ctx.request);
    if (!page.ok()) return page.take_error();
    MemberRepository repo(ctx.tx, *ctx.services.vault);
    auto member = LoadVisibleMember(ctx, repo, *id);
    if (!member.ok()) return member.take_error();
    int64_t total = 0;
    const bool pii = ctx.principal.Has("members.pii");
    auto items = repo.History(member->record.id, pii, page->limit, page->offset, &total);
    if (!items.ok()) return items.take_error();
    if (pii) STORECRM_TRY(ctx.Audit({"member.view_history", "member", std::to_string(member->record.id), "{}"}));
    return http::PageResponse(std::move(*items), page->NextCursor(total), total);
}

Result<http::Response> SetStatus(RequestContext& ctx, const std::string& from, const std::string& to,
                                 const std::string& action) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    MemberRepository repo(ctx.tx, *ctx.services.vault);
    auto member = LoadVisibleMember(ctx, repo, *id);
    if (!member.ok()) return member.take_error();
    if (member->merged_from) return Error::NotFound();
    if (member->record.status != from) {
        Error e;
        e.code = ErrorCode::kConflict;
        e.message = {"error.member_not_active", {}};
        return e;
    }
    MemberRecord after = member->record;
    after.status = to;
    STORECRM_TRY(repo.Update(after, member->record.version, ctx.principal));
    STORECRM_TRY(repo.WriteHistory(after.id, ctx.principal, {{"status", from, to}}));
    STORECRM_TRY(ctx.Audit({action, "member", std::to_string(after.id), "{}"}));
    auto out = MemberJsonFor(ctx, repo, after);
    if (!out.ok()) return out.take_error();
    return http::JsonOk(*out);
}

Result<http::Response> ArchiveMember(RequestContext& ctx) { return SetStatus(ctx, "active", "archived", "member.archive"); }
Result<http::Response> RestoreMember(RequestContext& ctx) { return SetStatus(ctx, "archived", "active", "member.restore"); }

Result<http::Response> AnonymizeMember(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto confirm = body->Bool("confirm", true);
    STORECRM_TRY(body->Finish());
    if (!*confirm) return Error::Field("confirm", "error.confirm_required");
    MemberRepository repo(ctx.tx, *ctx.services.vault);
    auto member = LoadVisibleMember(ctx, repo, *id);
    if (!member.ok()) return member.take_error();
    if (member->merged_from || member->record.status == "anonymized") return Error::NotFound();
    STORECRM_TRY(repo.Anonymize(member->record.id, ctx.principal));
    STORECRM_TRY(repo.WriteHistory(member->record.id, ctx.principal, {{"status", member->record.status, "anonymized"}}));
    STORECRM_TRY(ctx.Audit({"member.anonymize", "member", std::to_string(member->record.id),
                            json{{"member_no", member->record.member_no}}.dump()}));
    auto fresh = repo.Find(member->record.id);
    if (!fresh.ok()) return fresh.take_error();
    auto out = MemberJsonFor(ctx, repo, **fresh);
    if (!out.ok()) return out.take_error();
    return http::JsonOk(*out);
}

Result<http::Response> Duplicates(RequestContext& ctx) {
    storage::Params scope_params;
    const std::string scope = security::StoreScopeClause(ctx.principal, "m.home_store_id", scope_params);
    std::optional<int64_t> only;
    if (auto v = ctx.request.QueryParam("member_id"); v && !v->empty()) {
        try {
            only = std::stoll(*v);
        } catch (...) {
            return Error::Field("member_id", "field.must_be_integer");
        }
    }
    // Pairs by reason: same phone, same email (blind indexes compare without decrypting), same
    // folded name with the same birth year and month (then the full birthday is compared).
    struct Probe {
        const char* reason;
        const char* on;
    };
    const Probe probes[] = {{"phone", "a.phone_bidx = b.phone_bidx"},
                            {"email", "a.email_bidx = b.email_bidx"},
                            {"name_birthday",
                             "a.name_fold = b.name_fold AND a.name_fold <> '' AND a.birth_year = b.birth_year AND "
                             "a.birth_month = b.birth_month"}};
    std::map<std::pair<int64_t, int64_t>, std::vector<std::string>> pairs;
    MemberRepository repo(ctx.tx, *ctx.services.vault);
    for (const auto& probe : probes) {
        storage::Params params;
        std::string scope_a = security::StoreScopeClause(ctx.principal, "a.home_store_id", params);
        std::string scope_b = security::StoreScopeClause(ctx.principal, "b.home_store_id", params);
        std::string sql = std::string("SELECT a.id, b.id FROM members a JOIN members b ON ") + probe.on +
                          " AND a.id < b.id WHERE a.status IN ('active', 'archived') AND b.status IN ('active', "
                          "'archived')" + scope_a + scope_b;
        if (only) {
            sql += " AND (a.id = ? OR b.id = ?)";
            params.emplace_back(*only);
            params.emplace_back(*only);
        }
        sql += " ORDER BY a.id LIMIT 200";
        auto rows = ctx.tx.Query(sql, params);
        if (!rows.ok()) return rows.take_error();
        for (const auto& r : *rows) pairs[{r.Int(0), r.Int(1)}].push_back(probe.reason);
    }
    const bool pii = ctx.principal.Has("members.pii");
    json items = json::array();
    for (auto& [ids, reasons] : pairs) {
        auto a = repo.Find(ids.first);
        auto b = repo.Find(ids.second);
        if (!a.ok()) return a.take_error();
        if (!b.ok()) return b.take_error();
        if (!a->has_value() || !b->has_value()) continue;
        if (reasons.size() == 1 && reasons[0] == "name_birthday" && (**a).birthday != (**b).birthday) continue;
        auto tags_a = repo.Tags(ids.first);
        auto tags_b = repo.Tags(ids.second);
        if (!tags_a.ok()) return tags_a.take_error();
        if (!tags_b.ok()) return tags_b.take_error();
        items.push_back({{"a", MemberListJson(**a, *tags_a, pii)},
                         {"b", MemberListJson(**b, *tags_b, pii)},
                         {"reasons", reasons}});
        if (items.size() >= 100) break;
    }
    (void)scope;
    return http::PageResponse(items, "", static_cast<int64_t>(items.size()));
}

Result<http::Response> MergeMembers(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto other_id = body->Int("other_id", true, 1);
    auto version = body->Int("version", false, 1);
    std::map<std::string, std::string> choices;
    if (const auto* fields = body->Raw("fields"); fields && !fields->is_null()) {
        if (!fields->is_object()) {
            body->AddError("fields", "field.must_be_object");
        } else {
            for (const auto& [field, choice] : fields->items()) {
                const auto& editable = EditableFields();
                if (std::find(editable.begin(), editable.end(), field) == editable.end()) {
                    body->AddError("fields." + field, "field.unknown");
                } else if (!choice.is_string() || (choice != "survivor" && choice != "other")) {
                    body->AddError("fields." + field, "field.invalid_field_choice");
                } else {
                    choices[field] = choice.get<std::string>();
                }
            }
        }
    }
    STORECRM_TRY(body->Finish());
    if (*other_id == *id) return Error::Field("other_id", "field.self_merge");
    MemberRepository repo(ctx.tx, *ctx.services.vault);
    auto survivor = LoadVisibleMember(ctx, repo, *id);
    if (!survivor.ok()) return survivor.take_error();
    auto other = LoadVisibleMember(ctx, repo, *other_id);
    if (!other.ok()) {
        if (other.error().code == ErrorCode::kNotFound) return Error::Field("other_id", "field.not_found");
        return other.take_error();
    }
    for (const auto* m : {&*survivor, &*other}) {
        if (m->merged_from || (m->record.status != "active" && m->record.status != "archived")) {
            return Error::Field(m == &*survivor ? "id" : "other_id", "error.member_not_active");
        }
    }
    if (version && *version != survivor->record.version) return StaleEdit(ctx, repo, survivor->record);
    MemberRecord merged = ApplySurvivorship(survivor->record, other->record, choices);
    // The other member gives up its identifiers first, so the survivor may take them.
    STORECRM_TRY(repo.MergeInto(other->record.id, survivor->record.id, ctx.principal));
    STORECRM_TRY(RunMemberMergeHooks(ctx.tx, other->record.id, survivor->record.id));
    if (!ctx.principal.CanAccessStore(merged.home_store_id)) return Error::Field("fields.home_store_id", "field.store_out_of_scope");
    auto changes = Diff(survivor->record, merged);
    changes.push_back({"merged_from", "", other->record.member_no});
    STORECRM_TRY(repo.Update(merged, survivor->record.version, ctx.principal));
    STORECRM_TRY(repo.WriteHistory(merged.id, ctx.principal, changes));
    STORECRM_TRY(ctx.Audit({"member.merge", "member", std::to_string(merged.id),
                            json{{"merged_id", other->record.id},
                                 {"merged_member_no", other->record.member_no},
                                 {"choices", choices}}.dump()}));
    auto fresh = repo.Find(merged.id);
    if (!fresh.ok()) return fresh.take_error();
    auto out = MemberJsonFor(ctx, repo, **fresh);
    if (!out.ok()) return out.take_error();
    return http::JsonOk(*out);
}

Result<http::Response> BulkTags(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto ids = body->IntList("member_ids");
    auto add = body->IntList("add");
    auto remove = body->IntList("remove");
    const auto* filter = body->Raw("filter");
    if (!ids && (!filter || filter->is_null())) body->AddError("member_ids", "field.required");
    if (filter && !filter->is_null() && !filter->is_object()) body->AddError("filter", "field.must_be_object");
    if (!add && !remove) body->AddError("add", "field.required");
    STORECRM_TRY(body->Finish());
    MemberRepository repo(ctx.tx, *ctx.services.vault);
    if (add) STORECRM_TRY(repo.CheckTagsExist(*add, "add"));
    if (remove) STORECRM_TRY(repo.CheckTagsExist(*remove, "remove"));

    std::vector<int64_t> targets;
    if (ids) {
        for (int64_t member_id : *ids) {
            auto member = LoadVisibleMember(ctx, repo, member_id);
            if (!member.ok()) return Error::Field("member_ids", "field.not_found");
            targets.push_back(member->record.id);
        }
    } else {
        auto matching = MembersMatching(ctx, *filter, 100001);
        if (!matching.ok()) return matching.take_error();
        targets = std::move(*matching);
    }
    for (int64_t member_id : targets) {
        if (add) STORECRM_TRY(repo.AddTags(member_id, *add));
        if (remove) STORECRM_TRY(repo.RemoveTags(member_id, *remove));
    }
    STORECRM_TRY(BumpAudienceEpoch(ctx.tx));
    STORECRM_TRY(ctx.Audit({"member.bulk_tags", "member", "",
                            json{{"count", targets.size()}, {"add", add.value_or(std::vector<int64_t>{})},
                                 {"remove", remove.value_or(std::vector<int64_t>{})}}.dump()}));
    return http::JsonOk(json{{"affected", targets.size()}});
}


Result<http::Response> ExportMembers(RequestContext& ctx) {
    auto query = QueryFromRequest(ctx);
    if (!query.ok()) return query.take_error();
    storage::Params params = query->params;
    params.emplace_back(kExportLimit);
    auto rows = ctx.tx.Query(std::string("SELECT ") + kMemberColumns + " FROM members m" + query->where +
                                 query->order_by + " LIMIT ?",
                             params);
    if (!rows.ok()) return rows.take_error();
    MemberRepository repo(ctx.tx, *ctx.services.vault);
    const bool pii = ctx.principal.Has("members.pii");
    const bool en = ctx.locale == Locale::kEn;
    const std::vector<std::pair<const char*, const char*>> columns = {
        {"member_no", "会员号"}, {"name", "姓名"}, {"phone", "手机号"}, {"gender", "性别"}, {"birthday", "生日"},
        {"email", "邮箱"}, {"wechat_id", "微信号"}, {"company", "公司"}, {"category", "类别"},
        {"home_store_id", "所属门店"}, {"source", "来源"}, {"tags", "标签"}, {"status", "状态"},
        {"created_at", "登记时间"}};
    std::string csv = "\xEF\xBB\xBF";  // BOM: Excel opens UTF-8 Chinese correctly
    for (size_t i = 0; i < columns.size(); ++i) {
        csv += (i ? "," : "") + CsvField(en ? columns[i].first : columns[i].second);
    }
    csv += "\r\n";
    std::vector<MemberRecord> records;
    std::vector<int64_t> ids;
    for (const auto& row : *rows) {
        records.push_back(repo.RowToRecord(row));
        ids.push_back(records.back().id);
    }
    auto all_tags = repo.TagsOf(ids);
    if (!all_tags.ok()) return all_tags.take_error();
    for (const auto& record : records) {
        auto found = all_tags->find(record.id);
        const json tags = found == all_tags->end() ? json::array() : found->second;
        json j = MemberListJson(record, tags, pii);
        std::string tag_names;
        for (const auto& t : tags) tag_names += (tag_names.empty() ? "" : "|") + t["name"].get<std::string>();
        for (size_t i = 0; i < columns.size(); ++i) {
            const std::string key = columns[i].first;
            std::string value;
            if (key == "tags") value = tag_names;
            else if (j[key].is_string()) value = j[key].get<std::string>();
            else if (!j[key].is_null()) value = j[key].dump();
            csv += (i ? "," : "") + CsvField(value);
        }
        csv += "\r\n";
    }
    json filter = json::object();
    for (const auto& [k, v] : ctx.request.query) filter[k] = v;
    STORECRM_TRY(ctx.Audit({"member.export", "member", "",
                            json{{"count", rows->size()}, {"filter", filter}, {"masked", !pii}}.dump()}));
    http::Response response;
    response.content_type = "text/csv; charset=utf-8";
    response.headers.emplace_back("Content-Disposition", "attachment; filename=\"members-" + TodayIsoDate() + ".csv\"");
    response.body = std::move(csv);
    return response;
}

}  // namespace

void RegisterMemberRoutes(http::Router& router) {
    using storage::TxMode;
    router.Add({.method = "GET", .pattern = "/api/v1/members", .permission = "members.read", .tx = TxMode::kRead,
                .tag = "members",
                .summary = "Find members: q (name, pinyin, phone, last 4, email, member no.), filters, sort, paging",
                .handler = ListMembers});
    router.Add({.method = "POST", .pattern = "/api/v1/members", .permission = "members.create", .tx = TxMode::kWrite,
                .tag = "members", .summary = "Register a member (phone required and unique)", .handler = CreateMember,
                .request_schema = R"({"type":"object","required":["phone"],"properties":{"phone":{"type":"string"},"name":{"type":"string"},"gender":{"type":"string","enum":["male","female","unknown"]},"birthday":{"type":"string","format":"date"},"email":{"type":"string"},"wechat_id":{"type":"string"},"address":{"type":"string"},"company":{"type":"string"},"category":{"type":"string","enum":["regular","vip","wholesale"]},"home_store_id":{"type":"integer"},"source":{"type":"string","enum":["walk_in","online","referral","event","import"]},"referrer_id":{"type":"integer"},"guide_id":{"type":"integer"},"notes":{"type":"string"},"tags":{"type":"array","items":{"type":"integer"}},"custom_fields":{"type":"object"},"consents":{"type":"object"}}})"});
    router.Add({.method = "GET", .pattern = "/api/v1/members/duplicates", .permission = "members.merge",
                .tx = TxMode::kRead, .tag = "members",
                .summary = "Suggested duplicates with reasons (phone, email, name + birthday)", .handler = Duplicates});
    router.Add({.method = "GET", .pattern = "/api/v1/members/export.csv", .permission = "members.export",
                .tx = TxMode::kWrite, .tag = "members", .summary = "Export the filtered list as CSV (audited)",
                .handler = ExportMembers});
    router.Add({.method = "POST", .pattern = "/api/v1/members/bulk-tags", .permission = "members.update",
                .tx = TxMode::kWrite, .tag = "members",
                .summary = "Add or remove tags on listed members or on every member matching a filter",
                .handler = BulkTags});
    router.Add({.method = "GET", .pattern = "/api/v1/members/{id}", .permission = "members.read", .tx = TxMode::kRead,
                .tag = "members", .summary = "One member (a merged id answers the survivor)", .handler = GetMember});
    router.Add({.method = "PUT", .pattern = "/api/v1/members/{id}", .permission = "members.update", .tx = TxMode::kWrite,
                .tag = "members", .summary = "Edit a member (send version; a stale one gets 409)",
                .handler = UpdateMember});
    router.Add({.method = "GET", .pattern = "/api/v1/members/{id}/history", .permission = "members.read",
                .tx = TxMode::kRead, .tag = "members", .summary = "Field-level change history",
                .handler = MemberHistory});
    router.Add({.method = "POST", .pattern = "/api/v1/members/{id}/archive", .permission = "members.archive",
                .tx = TxMode::kWrite, .tag = "members", .summary = "Archive a member", .handler = ArchiveMember});
    router.Add({.method = "POST", .pattern = "/api/v1/members/{id}/restore", .permission = "members.archive",
                .tx = TxMode::kWrite, .tag = "members", .summary = "Restore an archived member",
                .handler = RestoreMember});
    router.Add({.method = "POST", .pattern = "/api/v1/members/{id}/anonymize", .permission = "members.anonymize",
                .tx = TxMode::kWrite, .tag = "members", .summary = "Erase personal data irreversibly ({confirm:true})",
                .handler = AnonymizeMember});
    router.Add({.method = "POST", .pattern = "/api/v1/members/{id}/merge", .permission = "members.merge",
                .tx = TxMode::kWrite, .tag = "members",
                .summary = "Merge other_id into this member, choosing surviving values per field",
                .handler = MergeMembers});
}

}  // namespace storecrm::members
