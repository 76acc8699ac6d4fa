#include "members/member_repository.hpp"

#include "members/erasure_journal.hpp"

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/phone.hpp"
#include "common/text_fold.hpp"

namespace storecrm::members {

using nlohmann::json;
using storage::Blob;
using storage::Params;
using storage::Value;

const char* const kMemberColumns =
    "m.id, m.member_no, m.name, m.gender, m.phone_enc, m.email_enc, m.wechat_enc, m.address_enc, m.birthday_enc, "
    "m.company, m.category, m.home_store_id, m.source, m.referrer_id, m.guide_id, m.notes, m.custom_fields, "
    "m.status, m.merged_into_id, m.version, m.created_at, m.updated_at, m.updated_by, m.updated_by_name, "
    "m.tier_id, (SELECT t.name FROM tiers t WHERE t.id = m.tier_id), m.points_balance, m.total_spend, "
    "m.purchase_count, m.last_purchase_at, m.referral_code";

namespace {

// 10 characters without look-alikes: short enough to read out, too many to guess.
std::string NewReferralCode() {
    static constexpr char kAlphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    std::string code;
    for (int i = 0; i < 10; ++i) code += kAlphabet[randombytes_uniform(31)];
    return code;
}

Value Encrypted(const security::FieldVault& vault, const std::string& plaintext) {
    if (plaintext.empty()) return Value();
    return Value(Blob{vault.Encrypt(plaintext)});
}

Value Index(const security::FieldVault& vault, const char* purpose, const std::string& value) {
    if (value.empty()) return Value();
    return Value(Blob{vault.BlindIndex(purpose, value)});
}

}  // namespace

MemberRecord MemberRepository::RowToRecord(const storage::Row& r) const {
    auto decrypt = [&](size_t i) -> std::string {
        if (r.IsNull(i)) return {};
        return vault_.Decrypt(r.BlobBytes(i)).value_or("");
    };
    MemberRecord m;
    m.id = r.Int(0);
    m.member_no = r.Text(1);
    m.name = r.Text(2);
    m.gender = r.Text(3);
    m.phone = decrypt(4);
    m.email = decrypt(5);
    m.wechat_id = decrypt(6);
    m.address = decrypt(7);
    m.birthday = decrypt(8);
    m.company = r.Text(9);
    m.category = r.Text(10);
    m.home_store_id = r.Int(11);
    m.source = r.Text(12);
    m.referrer_id = r.OptInt(13);
    m.guide_id = r.OptInt(14);
    m.notes = r.Text(15);
    m.custom_fields = r.Text(16);
    m.status = r.Text(17);
    m.merged_into_id = r.OptInt(18);
    m.version = r.Int(19);
    m.created_at = r.Int(20);
    m.updated_at = r.Int(21);
    m.updated_by = r.OptInt(22);
    m.updated_by_name = r.Text(23);
    m.loyalty.tier_id = r.OptInt(24);
    m.loyalty.tier_name = r.Text(25);
    m.loyalty.points_balance = r.Int(26);
    m.loyalty.total_spend = r.Int(27);
    m.loyalty.purchase_count = r.Int(28);
    m.loyalty.last_purchase_at = r.OptInt(29);
    m.loyalty.referral_code = r.Text(30);
    return m;
}

Result<std::optional<MemberRecord>> MemberRepository::Find(int64_t id) {
    auto row = tx_.QueryOne(std::string("SELECT ") + kMemberColumns + " FROM members m WHERE m.id = ?", {id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return std::optional<MemberRecord>{};
    return std::optional<MemberRecord>{RowToRecord(**row)};
}

Result<std::optional<int64_t>> MemberRepository::FindByPhone(const std::string& e164, int64_t except_id) {
    auto row = tx_.QueryOne("SELECT id FROM members WHERE phone_bidx = ? AND id <> ?",
                            {Blob{vault_.BlindIndex("phone", e164)}, except_id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return std::optional<int64_t>{};
    return std::optional<int64_t>{(**row).Int(0)};
}

// phone_enc, phone_bidx, phone_last4_bidx, phone_masked, email_enc, email_bidx, wechat_enc,
// address_enc, birthday_enc, birth_year, birth_month
Params MemberRepository::PersonalColumns(const MemberRecord& r) const {
    Value birth_year, birth_month;
    if (r.birthday.size() == 10) {
        birth_year = Value(static_cast<int64_t>(std::stoi(r.birthday.substr(0, 4))));
        birth_month = Value(static_cast<int64_t>(std::stoi(r.birthday.substr(5, 2))));
    }
    return {Encrypted(vault_, r.phone),
            Index(vault_, "phone", r.phone),
            Index(vault_, "last4", r.phone.empty() ? "" : PhoneLast4(r.phone)),
            r.phone.empty() ? std::string() : MaskPhone(r.phone),
            Encrypted(vault_, r.email),
            Index(vault_, "email", r.email.empty() ? "" : NormalizeEmail(r.email)),
            Encrypted(vault_, r.wechat_id),
            Encrypted(vault_, r.address),
            Encrypted(vault_, r.birthday),
            birth_year,
            birth_month};
}

Status MemberRepository::WriteSearchKeys(const MemberRecord& record) {
    STORECRM_TRY(tx_.Exec("DELETE FROM member_search_keys WHERE member_id = ?", {record.id}));
    if (record.status != "active" && record.status != "archived") return Ok();
    for (const auto& key : NameSearchKeys(record.name)) {
        STORECRM_TRY(tx_.Exec(
            "INSERT INTO member_search_keys (key, member_id, store_id, status) VALUES (?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            {key, record.id, record.home_store_id, record.status}));
    }
    return Ok();
}

Status MemberRepository::Insert(MemberRecord& r, const security::Principal& actor) {
    auto seq = tx_.QueryOne("UPDATE sequences SET value = value + 1 WHERE name = 'member_no' RETURNING value");
    if (!seq.ok()) return seq.take_error();
    int64_t number = 1;
    if (seq->has_value()) {
        number = (**seq).Int(0);
    } else {
        STORECRM_TRY(tx_.Exec("INSERT INTO sequences (name, value) VALUES ('member_no', 1)"));
    }
    char no[16];
    std::snprintf(no, sizeof no, "M%08lld", static_cast<long long>(number));
    r.member_no = no;
    const int64_t now = NowUnix();
    r.created_at = r.updated_at = now;
    r.version = 1;
    r.updated_by = actor.id;
    r.updated_by_name = actor.name;
    r.loyalty.referral_code = NewReferralCode();
    Params params{r.member_no, r.name, FoldText(r.name), ToPinyin(r.name).full, r.gender};
    for (auto& v : PersonalColumns(r)) params.push_back(std::move(v));
    for (Value v : {Value(r.company), Value(r.category), Value(r.home_store_id), Value(r.source), Value(r.referrer_id),
                    Value(r.guide_id), Value(r.notes), Value(r.custom_fields), Value(r.status), Value(now), Value(now),
                    Value(actor.id), Value(actor.id), Value(actor.name), Value(r.loyalty.referral_code)}) {
        params.push_back(std::move(v));
    }
    auto row = tx_.QueryOne(
        "INSERT INTO members (member_no, name, name_fold, name_pinyin, gender, phone_enc, phone_bidx, "
        "phone_last4_bidx, phone_masked, email_enc, email_bidx, wechat_enc, address_enc, birthday_enc, birth_year, "
        "birth_month, company, category, home_store_id, source, referrer_id, guide_id, notes, custom_fields, status, "
        "created_at, updated_at, created_by, updated_by, updated_by_name, referral_code) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        params);
    if (!row.ok()) return row.take_error();
    r.id = (**row).Int(0);
    return WriteSearchKeys(r);
}

Status MemberRepository::Update(MemberRecord& r, int64_t expected_version, const security::Principal& actor) {
    const int64_t now = NowUnix();
    Params params{r.name, FoldText(r.name), ToPinyin(r.name).full, r.gender};
    for (auto& v : PersonalColumns(r)) params.push_back(std::move(v));
    for (Value v : {Value(r.company), Value(r.category), Value(r.home_store_id), Value(r.source), Value(r.referrer_id),
                    Value(r.guide_id), Value(r.notes), Value(r.custom_fields), Value(r.status),
                    Value(r.merged_into_id), Value(now), Value(actor.id), Value(actor.name), Value(r.id),
                    Value(expected_version)}) {
        params.push_back(std::move(v));
    }
    auto result = tx_.Exec(
        "UPDATE members SET name = ?, name_fold = ?, name_pinyin = ?, gender = ?, phone_enc = ?, phone_bidx = ?, "
        "phone_last4_bidx = ?, phone_masked = ?, email_enc = ?, email_bidx = ?, wechat_enc = ?, address_enc = ?, "
        "birthday_enc = ?, birth_year = ?, birth_month = ?, company = ?, category = ?, home_store_id = ?, source = ?, "
        "referrer_id = ?, guide_id = ?, notes = ?, custom_fields = ?, status = ?, merged_into_id = ?, "
        "version = version + 1, updated_at = ?, updated_by = ?, updated_by_name = ? WHERE id = ? AND version = ?",
        params);
    if (!result.ok()) return result.take_error();
    if (result->changes == 0) return Error::VersionConflict();
    r.version = expected_version + 1;
    r.updated_at = now;
    r.updated_by = actor.id;
    r.updated_by_name = actor.name;
    return WriteSearchKeys(r);
}

Status MemberRepository::WriteHistory(int64_t member_id, const security::Principal& actor,
                                      const std::vector<FieldChange>& changes) {
    const int64_t now = NowUnix();
    for (const auto& c : changes) {
        Params params{member_id, now, actor.id, actor.name, c.field};
        if (IsPersonalField(c.field)) {
            params.insert(params.end(), {Value(), Value(), Encrypted(vault_, c.old_value), Encrypted(vault_, c.new_value)});
        } else {
            params.insert(params.end(), {c.old_value, c.new_value, Value(), Value()});
        }
        STORECRM_TRY(tx_.Exec(
            "INSERT INTO member_history (member_id, at, actor_id, actor_name, field, old_value, new_value, old_enc, "
            "new_enc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            params));
    }
    return Ok();
}

Result<json> MemberRepository::History(int64_t member_id, bool pii, int64_t limit, int64_t offset, int64_t* total) {
    auto count = tx_.QueryOne("SELECT COUNT(*) FROM member_history WHERE member_id = ?", {member_id});
    if (!count.ok()) return count.take_error();
    *total = (**count).Int(0);
    auto rows = tx_.Query(
        "SELECT at, actor_id, actor_name, field, old_value, new_value, old_enc, new_enc FROM member_history "
        "WHERE member_id = ? ORDER BY id DESC LIMIT ? OFFSET ?",
        {member_id, limit, offset});
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) {
        const std::string field = r.Text(3);
        auto value = [&](size_t plain, size_t enc) -> json {
            if (!r.IsNull(plain)) return r.Text(plain);
            if (r.IsNull(enc)) return nullptr;
            std::string text = vault_.Decrypt(r.BlobBytes(enc)).value_or("");
            if (pii) return field == "phone" ? DisplayPhone(text) : text;
            if (field == "phone") return MaskPhone(text);
            if (field == "email") return MaskEmail(text);
            if (field == "birthday") return MaskBirthday(text);
            return MaskText(text, field == "address" ? 6 : 2);
        };
        items.push_back({{"at", FormatIsoUtc(r.Int(0))},
                         {"actor", {{"id", r.IsNull(1) ? json(nullptr) : json(r.Int(1))}, {"name", r.Text(2)}}},
                         {"field", field},
                         {"old", value(4, 6)},
                         {"new", value(5, 7)}});
    }
    return items;
}

Result<json> MemberRepository::Tags(int64_t member_id) {
    auto rows = tx_.Query(
        "SELECT t.id, t.name, t.group_id, t.color FROM member_tags mt JOIN tags t ON t.id = mt.tag_id "
        "WHERE mt.member_id = ? ORDER BY t.group_id, t.id",
        {member_id});
    if (!rows.ok()) return rows.take_error();
    json tags = json::array();
    for (const auto& r : *rows) {
        tags.push_back({{"id", r.Int(0)}, {"name", r.Text(1)}, {"group_id", r.Int(2)}, {"color", r.Text(3)}});
    }
    return tags;
}

Result<std::map<int64_t, json>> MemberRepository::TagsOf(const std::vector<int64_t>& member_ids) {
    std::map<int64_t, json> tags;
    // Chunks keep the parameter count far below every engine's limit (an export has 100k ids).
    constexpr size_t kChunk = 500;
    for (size_t start = 0; start < member_ids.size(); start += kChunk) {
        std::string sql =
            "SELECT mt.member_id, t.id, t.name, t.group_id, t.color FROM member_tags mt JOIN tags t ON t.id = "
            "mt.tag_id WHERE mt.member_id IN (";
        Params params;
        sql += storage::InList(member_ids, start, start + kChunk, params);
        auto rows = tx_.Query(sql + ") ORDER BY mt.member_id, t.group_id, t.id", params);
        if (!rows.ok()) return rows.take_error();
        for (const auto& r : *rows) {
            auto& list = tags[r.Int(0)];
            if (list.is_null()) list = json::array();
            list.push_back({{"id", r.Int(1)}, {"name", r.Text(2)}, {"group_id", r.Int(3)}, {"color", r.Text(4)}});
        }
    }
    return tags;
}

Status MemberRepository::CheckTagsExist(const std::vector<int64_t>& tag_ids, const std::string& field) {
    for (int64_t tag_id : tag_ids) {
        auto row = tx_.QueryOne("SELECT 1 FROM tags WHERE id = ?", {tag_id});
        if (!row.ok()) return row.take_error();
        if (!row->has_value()) return Error::Field(field, "field.not_found");
    }
    return Ok();
}

Status MemberRepository::SetTags(int64_t member_id, const std::vector<int64_t>& tag_ids) {
    STORECRM_TRY(tx_.Exec("DELETE FROM member_tags WHERE member_id = ?", {member_id}));
    return AddTags(member_id, tag_ids);
}

Status MemberRepository::AddTags(int64_t member_id, const std::vector<int64_t>& tag_ids) {
    const int64_t now = NowUnix();
    for (int64_t tag_id : tag_ids) {
        STORECRM_TRY(tx_.Exec(
            "INSERT INTO member_tags (member_id, tag_id, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            {member_id, tag_id, now}));
    }
    return Ok();
}

Status MemberRepository::RemoveTags(int64_t member_id, const std::vector<int64_t>& tag_ids) {
    for (int64_t tag_id : tag_ids) {
        STORECRM_TRY(tx_.Exec("DELETE FROM member_tags WHERE member_id = ? AND tag_id = ?", {member_id, tag_id}));
    }
    return Ok();
}

Result<json> MemberRepository::Consents(int64_t member_id) {
    auto rows = tx_.Query(
        "SELECT c.channel, c.granted, c.at, c.source, c.recorded_by_name FROM member_consents c "
        "WHERE c.member_id = ? AND c.id = (SELECT MAX(c2.id) FROM member_consents c2 "
        "WHERE c2.member_id = c.member_id AND c2.channel = c.channel AND c2.purpose = c.purpose) "
        "AND c.purpose = 'marketing' ORDER BY c.channel",
        {member_id});
    if (!rows.ok()) return rows.take_error();
    json consents = json::object();
    for (const char* channel : {"sms", "email", "wechat"}) {
        consents[channel] = {{"granted", false}, {"at", nullptr}, {"source", nullptr}, {"recorded_by", nullptr}};
    }
    for (const auto& r : *rows) {
        consents[r.Text(0)] = {{"granted", r.Int(1) != 0},
                               {"at", FormatIsoUtc(r.Int(2))},
                               {"source", r.Text(3)},
                               {"recorded_by", r.Text(4)}};
    }
    return consents;
}

Status MemberRepository::RecordConsent(int64_t member_id, const std::string& channel, bool granted,
                                       const std::string& source, const security::Principal& actor) {
    auto r = tx_.Exec(
        "INSERT INTO member_consents (member_id, channel, purpose, granted, at, source, recorded_by_id, "
        "recorded_by_name) VALUES (?, ?, 'marketing', ?, ?, ?, ?, ?)",
        {member_id, channel, granted, NowUnix(), source, actor.id, actor.name});
    if (!r.ok()) return r.take_error();
    return Ok();
}

Status MemberRepository::MergeInto(int64_t from, int64_t to, const security::Principal& actor) {
    const int64_t now = NowUnix();
    STORECRM_TRY(tx_.Exec(
        "INSERT INTO member_tags (member_id, tag_id, created_at) SELECT ?, tag_id, created_at FROM member_tags "
        "WHERE member_id = ? ON CONFLICT DO NOTHING",
        {to, from}));
    STORECRM_TRY(tx_.Exec("DELETE FROM member_tags WHERE member_id = ?", {from}));
    // Consent rows keep their order by id, so the survivor's newest decision stays in force
    // only if it is newer; the merge itself does not invent consent.
    STORECRM_TRY(tx_.Exec("UPDATE member_consents SET member_id = ? WHERE member_id = ?", {to, from}));
    STORECRM_TRY(tx_.Exec("UPDATE member_history SET member_id = ? WHERE member_id = ?", {to, from}));
    STORECRM_TRY(tx_.Exec("UPDATE members SET referrer_id = ? WHERE referrer_id = ?", {to, from}));
    STORECRM_TRY(tx_.Exec("UPDATE members SET merged_into_id = ? WHERE merged_into_id = ?", {to, from}));
    STORECRM_TRY(tx_.Exec("DELETE FROM member_search_keys WHERE member_id = ?", {from}));
    // The merged record gives up its identifiers (the survivor may take them over) and keeps
    // only the link to the survivor.
    STORECRM_TRY(tx_.Exec(
        "UPDATE members SET status = 'merged', merged_into_id = ?, phone_enc = NULL, phone_bidx = NULL, "
        "phone_last4_bidx = NULL, phone_masked = '', email_enc = NULL, email_bidx = NULL, wechat_enc = NULL, "
        "address_enc = NULL, birthday_enc = NULL, version = version + 1, updated_at = ?, updated_by = ?, "
        "updated_by_name = ? WHERE id = ?",
        {to, now, actor.id, actor.name, from}));
    return Ok();
}

Status MemberRepository::Anonymize(int64_t member_id, const security::Principal& actor) {
    // Journalled first: if the commit then fails, a replay erases a member someone asked to erase.
    STORECRM_TRY(RecordErasure(member_id, NowUnix()));
    return EraseAgain(member_id, actor);
}

Status MemberRepository::EraseAgain(int64_t member_id, const security::Principal& actor) {
    STORECRM_TRY(tx_.Exec(
        "UPDATE members SET name = '', name_fold = '', name_pinyin = '', phone_enc = NULL, phone_bidx = NULL, "
        "phone_last4_bidx = NULL, phone_masked = '', email_enc = NULL, email_bidx = NULL, wechat_enc = NULL, "
        "address_enc = NULL, birthday_enc = NULL, birth_year = NULL, birth_month = NULL, company = '', notes = '', "
        "custom_fields = '{}', referrer_id = NULL, status = 'anonymized', version = version + 1, updated_at = ?, "
        "updated_by = ?, updated_by_name = ? WHERE id = ?",
        {NowUnix(), actor.id, actor.name, member_id}));
    STORECRM_TRY(tx_.Exec("DELETE FROM member_search_keys WHERE member_id = ?", {member_id}));
    // History would otherwise still hold the old name, notes and encrypted personal values.
    STORECRM_TRY(tx_.Exec(
        "UPDATE member_history SET old_value = NULL, new_value = NULL, old_enc = NULL, new_enc = NULL "
        "WHERE member_id = ?",
        {member_id}));
    return Ok();
}

}  // namespace storecrm::members
