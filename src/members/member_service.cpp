#include "members/member_service.hpp"
#include "members/member_search.hpp"

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/phone.hpp"
#include "members/custom_fields.hpp"
#include "members/minors.hpp"

namespace storecrm::members {

using nlohmann::json;

namespace {

// Reads an optional text field: absent leaves the record alone, null or "" clears it.
void ReadText(http::BodyReader& body, MemberRecord& record, const std::string& field, http::TextRule rule) {
    if (!body.Has(field)) return;
    if (body.IsNull(field)) {
        body.Accept(field);
        SetFieldText(record, field, "");
        return;
    }
    if (auto v = body.Text(field, rule)) SetFieldText(record, field, *v);
}

void ReadOptionalId(http::BodyReader& body, std::optional<int64_t>& target, const std::string& field) {
    if (!body.Has(field)) return;
    if (body.IsNull(field)) {
        body.Accept(field);
        target.reset();
        return;
    }
    if (auto v = body.Int(field, false, 1)) target = *v;
}

}  // namespace

Status ReadMemberInput(http::BodyReader& body, http::RequestContext& ctx, MemberRecord& record, bool creating,
                       MemberInput& input) {
    if (creating || body.Has("phone")) {
        auto phone = body.Text("phone", {.required = true, .max_chars = 32});
        if (phone) {
            auto normalized = NormalizePhone(*phone);
            if (!normalized) body.AddError("phone", "field.invalid_phone");
            else record.phone = *normalized;
        }
    }
    ReadText(body, record, "name", {.max_chars = 50});
    if (auto gender = body.Choice("gender", {"male", "female", "unknown"})) record.gender = *gender;
    if (body.Has("birthday")) {
        if (body.IsNull("birthday")) {
            body.Accept("birthday");
            record.birthday.clear();
        } else if (auto v = body.Text("birthday", {.max_chars = 10})) {
            if (v->empty()) record.birthday.clear();
            else if (!IsValidDate(*v)) body.AddError("birthday", "field.invalid_date");
            else if (*v > TodayIsoDate()) body.AddError("birthday", "field.date_in_future");
            else record.birthday = *v;
        }
    }
    if (body.Has("email")) {
        if (body.IsNull("email")) {
            body.Accept("email");
            record.email.clear();
        } else if (auto v = body.Text("email", {.max_chars = 254})) {
            if (v->empty()) record.email.clear();
            else if (!IsValidEmail(*v)) body.AddError("email", "field.invalid_email");
            else record.email = NormalizeEmail(*v);
        }
    }
    ReadText(body, record, "wechat_id", {.max_chars = 64});
    ReadText(body, record, "address", {.max_chars = 200});
    ReadText(body, record, "company", {.max_chars = 100});
    ReadText(body, record, "notes", {.max_chars = 2000, .multiline = true});
    if (auto category = body.Choice("category", {"regular", "vip", "wholesale"})) record.category = *category;
    if (auto source = body.Choice("source", {"walk_in", "online", "referral", "event", "import"})) record.source = *source;

    if (auto store = body.Int("home_store_id", false, 1)) {
        record.home_store_id = *store;
    } else if (creating && !body.Has("home_store_id") && ctx.principal.store_ids.size() == 1) {
        record.home_store_id = ctx.principal.store_ids.front();  // a cashier registers into their own store
    } else if (creating && !body.HasErrors()) {
        if (!body.Has("home_store_id")) body.AddError("home_store_id", "field.required");
    }
    ReadOptionalId(body, record.referrer_id, "referrer_id");
    // A new member may name their referrer by the code on the referrer's card or QR instead.
    std::optional<std::string> referral_code;
    if (creating) referral_code = body.Text("referral_code", {.max_chars = 16});
    ReadOptionalId(body, record.guide_id, "guide_id");
    input.tags = body.IntList("tags");
    if (const auto* consents = body.Raw("consents"); consents && !consents->is_null()) {
        if (!consents->is_object()) {
            body.AddError("consents", "field.must_be_object");
        } else {
            for (const auto& [channel, granted] : consents->items()) {
                if (channel != "sms" && channel != "email" && channel != "wechat") {
                    body.AddError("consents." + channel, "field.unknown");
                } else if (!granted.is_boolean()) {
                    body.AddError("consents." + channel, "field.must_be_boolean");
                } else {
                    input.consents[channel] = granted.get<bool>();
                }
            }
        }
    }
    if (const auto* guardian = body.Raw("guardian"); guardian && !guardian->is_null()) {
        if (!guardian->is_object()) {
            body.AddError("guardian", "field.must_be_object");
        } else {
            http::BodyReader g(*guardian);
            GuardianInput in;
            in.name = g.Text("name", {.required = true, .max_chars = 50}).value_or("");
            if (auto phone = g.Text("phone", {.required = true, .max_chars = 32})) {
                if (auto normalized = NormalizePhone(*phone)) in.phone = *normalized;
                else g.AddError("phone", "field.invalid_phone");
            }
            in.relation = g.Choice("relation", {"parent", "guardian"}, true).value_or("");
            if (g.Bool("consent", true).value_or(false) != true && !g.HasErrors()) {
                g.AddError("consent", "field.guardian_consent_required");
            }
            if (auto s = g.Finish(); !s.ok()) {
                for (const auto& f : s.error().fields) body.AddError("guardian." + f.field, f.message.key, f.message.args);
            } else {
                input.guardian = in;
            }
        }
    }
    // Under 14 only with a guardian's consent: on joining, and when a birthday set later shows it.
    const int age = AgeOn(record.birthday, NowUnix());
    if (age >= 0 && age < kMinorAge && !input.guardian && !body.Has("guardian") && (creating || body.Has("birthday"))) {
        bool on_file = false;
        if (!creating) {
            auto row = ctx.tx.QueryOne("SELECT 1 FROM member_guardians WHERE member_id = ?", {record.id});
            if (!row.ok()) return row.take_error();
            on_file = row->has_value();
        }
        if (!on_file) body.AddError("guardian", "field.guardian_required", {{"age", std::to_string(kMinorAge)}});
    }
    if (const auto* custom = body.Raw("custom_fields"); custom && !custom->is_null()) {
        auto merged = ValidateCustomFields(ctx.tx, *custom, record.custom_fields, creating);
        if (!merged.ok()) {
            for (const auto& f : merged.error().fields) body.AddError(f.field, f.message.key, f.message.args);
        } else {
            record.custom_fields = *merged;
        }
    } else if (creating) {
        auto merged = ValidateCustomFields(ctx.tx, json::object(), record.custom_fields, true);
        if (!merged.ok()) {
            for (const auto& f : merged.error().fields) body.AddError(f.field, f.message.key, f.message.args);
        }
    }
    if (!creating) body.Accept("version");
    STORECRM_TRY(body.Finish());

    // References: checked after the shape is right, each as a field error.
    std::vector<FieldError> errors;
    if (!ctx.principal.CanAccessStore(record.home_store_id)) {
        errors.push_back({"home_store_id", {"field.store_out_of_scope", {}}});
    } else {
        auto store = ctx.tx.QueryOne("SELECT 1 FROM stores WHERE id = ?", {record.home_store_id});
        if (!store.ok()) return store.take_error();
        if (!store->has_value()) errors.push_back({"home_store_id", {"field.not_found", {}}});
    }
    if (referral_code && !referral_code->empty()) {
        auto referrer = ctx.tx.QueryOne("SELECT id FROM members WHERE referral_code = ? AND status = 'active'",
                                        {*referral_code});
        if (!referrer.ok()) return referrer.take_error();
        if (!referrer->has_value()) errors.push_back({"referral_code", {"field.not_found", {}}});
        else record.referrer_id = (**referrer).Int(0);
    }
    if (record.referrer_id) {
        auto referrer = ctx.tx.QueryOne("SELECT 1 FROM members WHERE id = ? AND status IN ('active', 'archived') AND id <> ?",
                                        {*record.referrer_id, record.id});
        if (!referrer.ok()) return referrer.take_error();
        if (!referrer->has_value()) errors.push_back({"referrer_id", {"field.not_found", {}}});
    }
    if (record.guide_id) {
        auto guide = ctx.tx.QueryOne("SELECT 1 FROM staff WHERE id = ?", {*record.guide_id});
        if (!guide.ok()) return guide.take_error();
        if (!guide->has_value()) errors.push_back({"guide_id", {"field.not_found", {}}});
    }
    if (input.tags) {
        for (int64_t tag_id : *input.tags) {
            auto tag = ctx.tx.QueryOne("SELECT 1 FROM tags WHERE id = ?", {tag_id});
            if (!tag.ok()) return tag.take_error();
            if (!tag->has_value()) {
                errors.push_back({"tags", {"field.not_found", {}}});
                break;
            }
        }
    }
    if (!errors.empty()) return Error::Validation(std::move(errors));
    return Ok();
}

Result<VisibleMember> LoadVisibleMember(http::RequestContext& ctx, MemberRepository& repo, int64_t id) {
    VisibleMember visible;
    auto found = repo.Find(id);
    if (!found.ok()) return found.take_error();
    if (!found->has_value()) return Error::NotFound();
    visible.record = std::move(**found);
    if (visible.record.status == "merged" && visible.record.merged_into_id) {
        visible.merged_from = id;
        auto survivor = repo.Find(*visible.record.merged_into_id);
        if (!survivor.ok()) return survivor.take_error();
        if (!survivor->has_value()) return Error::NotFound();
        visible.record = std::move(**survivor);
    }
    if (!ctx.principal.CanAccessStore(visible.record.home_store_id)) return Error::NotFound();
    return visible;
}

json MemberListJson(const MemberRecord& r, const json& tags, bool pii) {
    auto opt = [](const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); };
    auto text_or_null = [](const std::string& s) { return s.empty() ? json(nullptr) : json(s); };
    json custom = json::parse(r.custom_fields, nullptr, false);
    json out = {
        {"id", r.id},
        {"member_no", r.member_no},
        {"name", r.name},
        {"gender", r.gender},
        {"company", r.company},
        {"category", r.category},
        {"home_store_id", r.home_store_id},
        {"source", r.source},
        {"referrer_id", opt(r.referrer_id)},
        {"guide_id", opt(r.guide_id)},
        {"notes", r.notes},
        {"tags", tags},
        {"custom_fields", custom.is_object() ? custom : json::object()},
        {"status", r.status},
        {"version", r.version},
        {"created_at", FormatIsoUtc(r.created_at)},
        {"updated_at", FormatIsoUtc(r.updated_at)},
        {"updated_by", {{"id", opt(r.updated_by)}, {"name", r.updated_by_name}}},
        {"pii_masked", !pii},
        {"tier", r.loyalty.tier_id ? json({{"id", *r.loyalty.tier_id}, {"name", r.loyalty.tier_name}}) : json(nullptr)},
        {"points_balance", r.loyalty.points_balance},
        {"total_spend", r.loyalty.total_spend},
        {"purchase_count", r.loyalty.purchase_count},
        {"average_order_value", r.loyalty.purchase_count > 0 ? r.loyalty.total_spend / r.loyalty.purchase_count : 0},
        {"last_purchase_at", r.loyalty.last_purchase_at ? json(FormatIsoUtc(*r.loyalty.last_purchase_at)) : json(nullptr)},
        {"referral_code", r.loyalty.referral_code},
    };
    if (pii) {
        out["phone"] = r.phone.empty() ? json(nullptr) : json(DisplayPhone(r.phone));
        out["email"] = text_or_null(r.email);
        out["birthday"] = text_or_null(r.birthday);
        out["wechat_id"] = text_or_null(r.wechat_id);
        out["address"] = text_or_null(r.address);
    } else {
        out["phone"] = r.phone.empty() ? json(nullptr) : json(MaskPhone(r.phone));
        out["email"] = r.email.empty() ? json(nullptr) : json(MaskEmail(r.email));
        out["birthday"] = r.birthday.empty() ? json(nullptr) : json(MaskBirthday(r.birthday));
        out["wechat_id"] = r.wechat_id.empty() ? json(nullptr) : json(MaskText(r.wechat_id, 2));
        out["address"] = r.address.empty() ? json(nullptr) : json(MaskText(r.address, 6));
    }
    return out;
}

Result<json> MemberJsonFor(http::RequestContext& ctx, MemberRepository& repo, const MemberRecord& record) {
    auto tags = repo.Tags(record.id);
    if (!tags.ok()) return tags.take_error();
    auto consents = repo.Consents(record.id);
    if (!consents.ok()) return consents.take_error();
    const bool pii = ctx.principal.Has("members.pii");
    json out = MemberListJson(record, *tags, pii);
    out["consents"] = *consents;
    const int age = AgeOn(record.birthday, NowUnix());
    out["minor"] = age >= 0 && age < kMinorAge;
    auto guardian = ctx.tx.QueryOne(
        "SELECT name, phone_enc, relation, consented_at FROM member_guardians WHERE member_id = ?", {record.id});
    if (!guardian.ok()) return guardian.take_error();
    if (guardian->has_value() && record.status != "anonymized") {
        const auto& g = **guardian;
        const std::string phone = ctx.services.vault->Decrypt(g.BlobBytes(1)).value_or("");
        out["guardian"] = {{"name", pii ? g.Text(0) : MaskText(g.Text(0), 1)},
                           {"phone", pii ? phone : MaskPhone(phone)},
                           {"relation", g.Text(2)},
                           {"consented_at", FormatIsoUtc(g.Int(3))}};
    } else {
        out["guardian"] = nullptr;
    }
    if (pii && record.status != "anonymized") {
        STORECRM_TRY(ctx.Audit({"member.view_pii", "member", std::to_string(record.id), "{}"}));
    }
    return out;
}

namespace {

Status CheckPhoneFree(MemberRepository& repo, const MemberRecord& record) {
    if (record.phone.empty()) return Ok();
    auto taken = repo.FindByPhone(record.phone, record.id);
    if (!taken.ok()) return taken.take_error();
    if (taken->has_value()) return Error::Conflict("phone", "field.phone_taken");
    return Ok();
}

Status WriteGuardian(http::RequestContext& ctx, const MemberRecord& member, const MemberInput& input) {
    if (!input.guardian) return Ok();
    const auto& g = *input.guardian;
    STORECRM_TRY(ctx.tx.Exec("DELETE FROM member_guardians WHERE member_id = ?", {member.id}));
    STORECRM_TRY(ctx.tx.Exec(
        "INSERT INTO member_guardians (member_id, name, phone_enc, relation, consented_at, store_id, recorded_by_id, "
        "recorded_by_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        {member.id, g.name, storage::Blob{ctx.services.vault->Encrypt(g.phone)}, g.relation, NowUnix(),
         member.home_store_id, ctx.principal.StaffId(), ctx.principal.name}));
    return ctx.Audit({"member.guardian_consent", "member", std::to_string(member.id),
                      json{{"relation", g.relation}, {"store_id", member.home_store_id}}.dump()});
}

Status WriteConsents(http::RequestContext& ctx, MemberRepository& repo, int64_t member_id, const MemberInput& input,
                     const json* current) {
    // Who decided: an integration, the member on their own pages (the system acting for them), or staff.
    const auto kind = ctx.principal.kind;
    const std::string source = kind == security::Principal::Kind::kApiToken ? "api"
                               : kind == security::Principal::Kind::kSystem ? "member"
                                                                             : "staff";
    for (const auto& [channel, granted] : input.consents) {
        // Only a change is a new consent decision; re-sending the same value records nothing.
        if (current && (*current)[channel]["granted"].get<bool>() == granted) continue;
        STORECRM_TRY(repo.RecordConsent(member_id, channel, granted, source, ctx.principal));
    }
    return Ok();
}

}  // namespace

namespace {
Status RunSavedHooks(storage::Transaction& tx, const MemberRecord& member, bool created);
}  // namespace

Status SaveNewMember(http::RequestContext& ctx, MemberRepository& repo, MemberRecord& record, const MemberInput& input) {
    STORECRM_TRY(CheckPhoneFree(repo, record));
    STORECRM_TRY(repo.Insert(record, ctx.principal));
    STORECRM_TRY(repo.WriteHistory(record.id, ctx.principal, Diff(MemberRecord{}, record)));
    if (input.tags) STORECRM_TRY(repo.SetTags(record.id, *input.tags));
    STORECRM_TRY(WriteConsents(ctx, repo, record.id, input, nullptr));
    STORECRM_TRY(WriteGuardian(ctx, record, input));
    STORECRM_TRY(RunSavedHooks(ctx.tx, record, true));
    return ctx.Audit({"member.create", "member", std::to_string(record.id),
                      json{{"member_no", record.member_no}, {"home_store_id", record.home_store_id}}.dump()});
}

Status SaveMemberChanges(http::RequestContext& ctx, MemberRepository& repo, const MemberRecord& before,
                         MemberRecord& after, const MemberInput& input, int64_t expected_version) {
    if (expected_version != before.version) return Error::VersionConflict();
    STORECRM_TRY(CheckPhoneFree(repo, after));
    auto changes = Diff(before, after);
    if (after.status != before.status) changes.push_back({"status", before.status, after.status});
    json changed_tags;
    if (input.tags) {
        auto old_tags = repo.Tags(before.id);
        if (!old_tags.ok()) return old_tags.take_error();
        std::vector<int64_t> old_ids;
        for (const auto& t : *old_tags) old_ids.push_back(t["id"].get<int64_t>());
        std::vector<int64_t> new_ids = *input.tags;
        std::sort(old_ids.begin(), old_ids.end());
        std::sort(new_ids.begin(), new_ids.end());
        new_ids.erase(std::unique(new_ids.begin(), new_ids.end()), new_ids.end());
        if (old_ids != new_ids) {
            changes.push_back({"tags", json(old_ids).dump(), json(new_ids).dump()});
            STORECRM_TRY(repo.SetTags(before.id, new_ids));
        }
    }
    auto consents = repo.Consents(before.id);
    if (!consents.ok()) return consents.take_error();
    for (const auto& [channel, granted] : input.consents) {
        if ((*consents)[channel]["granted"].get<bool>() != granted) {
            changes.push_back({"consent." + channel, granted ? "false" : "true", granted ? "true" : "false"});
        }
    }
    STORECRM_TRY(WriteConsents(ctx, repo, before.id, input, &*consents));
    STORECRM_TRY(WriteGuardian(ctx, after, input));
    if (changes.empty()) return Ok();  // nothing changed: no new version, no history
    STORECRM_TRY(repo.Update(after, expected_version, ctx.principal));
    STORECRM_TRY(repo.WriteHistory(before.id, ctx.principal, changes));
    STORECRM_TRY(RunSavedHooks(ctx.tx, after, false));
    json fields = json::array();
    for (const auto& c : changes) fields.push_back(c.field);
    return ctx.Audit({"member.update", "member", std::to_string(before.id), json{{"fields", fields}}.dump()});
}

Result<MemberRecord> LoadPathMember(http::RequestContext& ctx, bool active_only) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    MemberRepository repo(ctx.tx, *ctx.services.vault);
    auto member = LoadVisibleMember(ctx, repo, *id);
    if (!member.ok()) return member.take_error();
    if (active_only && member->record.status != "active") return Error::Field("member_id", "error.member_not_active");
    return std::move(member->record);
}

Result<std::vector<int64_t>> MembersMatching(http::RequestContext& ctx, const json& filter, size_t limit) {
    CustomFilters custom;
    std::map<std::string, std::string> values;
    std::vector<FieldError> errors;
    for (const auto& [key, value] : filter.items()) {
        // The list's query parameters as strings; a JSON list (tags: [1, 2]) reads as "1,2".
        std::string text;
        if (value.is_string()) {
            text = value.get<std::string>();
        } else if (value.is_array()) {
            for (const auto& item : value) text += (text.empty() ? "" : ",") + (item.is_string() ? item.get<std::string>() : item.dump());
        } else {
            text = value.dump();
        }
        if (key.rfind("cf.", 0) == 0) custom.emplace_back(key.substr(3), text);
        else if (IsMemberFilterName(key)) values[key] = text;
        else errors.push_back({"filter." + key, {"field.unknown", {}}});
    }
    if (!errors.empty()) return Error::Validation(std::move(errors));
    auto query = BuildMemberQuery(
        [&](const std::string& name) -> std::optional<std::string> {
            auto it = values.find(name);
            if (it == values.end()) return std::nullopt;
            return it->second;
        },
        custom, ctx.principal, *ctx.services.vault, ctx.tx.dialect());
    if (!query.ok()) return query.take_error();
    auto params = query->params;
    params.emplace_back(static_cast<int64_t>(limit));
    auto rows = ctx.tx.Query("SELECT m.id FROM members m" + query->where + " ORDER BY m.id LIMIT ?", params);
    if (!rows.ok()) return rows.take_error();
    std::vector<int64_t> ids;
    for (const auto& r : *rows) ids.push_back(r.Int(0));
    return ids;
}

namespace {
// Filled once at start-up, before any request.
std::vector<MemberMergeHook>& MergeHooks() {
    static std::vector<MemberMergeHook> hooks;
    return hooks;
}
std::vector<MemberSavedHook>& SavedHooks() {
    static std::vector<MemberSavedHook> hooks;
    return hooks;
}
Status RunSavedHooks(storage::Transaction& tx, const MemberRecord& member, bool created) {
    for (const auto& hook : SavedHooks()) STORECRM_TRY(hook(tx, member, created));
    return Ok();
}
}  // namespace

void AddMemberSavedHook(MemberSavedHook hook) { SavedHooks().push_back(std::move(hook)); }

void AddMemberMergeHook(MemberMergeHook hook) { MergeHooks().push_back(std::move(hook)); }

Status RunMemberMergeHooks(storage::Transaction& tx, int64_t from, int64_t to) {
    for (const auto& hook : MergeHooks()) STORECRM_TRY(hook(tx, from, to));
    return Ok();
}

}  // namespace storecrm::members
