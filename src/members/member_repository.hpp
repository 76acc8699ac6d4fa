#pragma once
// All SQL about members: the row, its encrypted columns and blind indexes, search keys,
// history, tags and consents. Callers pass plaintext records; encryption happens here.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/error.hpp"
#include "members/member.hpp"
#include "security/crypto.hpp"
#include "security/principal.hpp"
#include "storage/database.hpp"

namespace storecrm::members {

// The columns RowToRecord reads, prefixed with the alias "m.".
extern const char* const kMemberColumns;

class MemberRepository {
public:
    MemberRepository(storage::Transaction& tx, const security::FieldVault& vault) : tx_(tx), vault_(vault) {}

    MemberRecord RowToRecord(const storage::Row& row) const;
    Result<std::optional<MemberRecord>> Find(int64_t id);
    // Another active/archived member holding this phone (E.164) or email, if any.
    Result<std::optional<int64_t>> FindByPhone(const std::string& e164, int64_t except_id = 0);

    // Assigns id and member_no.
    Status Insert(MemberRecord& record, const security::Principal& actor);
    // Writes every column of `record` if the stored version is still `expected_version`;
    // kVersionConflict otherwise. Bumps record.version.
    Status Update(MemberRecord& record, int64_t expected_version, const security::Principal& actor);

    Status WriteHistory(int64_t member_id, const security::Principal& actor, const std::vector<FieldChange>& changes);
    Result<nlohmann::json> History(int64_t member_id, bool pii, int64_t limit, int64_t offset, int64_t* total);

    Result<nlohmann::json> Tags(int64_t member_id);
    // Tags of many members in one query: member id → JSON array (members without tags absent).
    Result<std::map<int64_t, nlohmann::json>> TagsOf(const std::vector<int64_t>& member_ids);
    Status SetTags(int64_t member_id, const std::vector<int64_t>& tag_ids);
    Status AddTags(int64_t member_id, const std::vector<int64_t>& tag_ids);
    Status RemoveTags(int64_t member_id, const std::vector<int64_t>& tag_ids);
    // Fails with a field error on `field` when a tag id does not exist.
    Status CheckTagsExist(const std::vector<int64_t>& tag_ids, const std::string& field);

    Result<nlohmann::json> Consents(int64_t member_id);
    Status RecordConsent(int64_t member_id, const std::string& channel, bool granted, const std::string& source,
                         const security::Principal& actor);

    // Moves tags, consents, history and referrals of `from` to `to`, and marks `from` merged.
    Status MergeInto(int64_t from, int64_t to, const security::Principal& actor);
    // Erases personal data irreversibly; keeps the row, its id and non-personal aggregates.
    Status Anonymize(int64_t member_id, const security::Principal& actor);
    // The same, without journalling it: replaying the erasure journal after a restore.
    Status EraseAgain(int64_t member_id, const security::Principal& actor);

private:
    Status WriteSearchKeys(const MemberRecord& record);
    storage::Params PersonalColumns(const MemberRecord& record) const;

    storage::Transaction& tx_;
    const security::FieldVault& vault_;
};

}  // namespace storecrm::members
