#pragma once
// A member (会员) as the services see it: personal data decrypted, plus the pure rules that
// need no database — which fields exist, which are personal, how a merge picks survivors.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace storecrm::members {

// What loyalty keeps on the member row: read with the member, written only by sales and loyalty.
struct MemberLoyalty {
    std::optional<int64_t> tier_id;
    std::string tier_name;
    int64_t points_balance = 0;
    int64_t total_spend = 0;
    int64_t purchase_count = 0;
    std::optional<int64_t> last_purchase_at;
    std::string referral_code;
};

struct MemberRecord {
    int64_t id = 0;
    std::string member_no;
    std::string phone;  // E.164
    std::string name;
    std::string gender = "unknown";
    std::string birthday;  // YYYY-MM-DD or ""
    std::string email;
    std::string wechat_id;
    std::string address;
    std::string company;
    std::string category = "regular";
    int64_t home_store_id = 0;
    std::string source = "walk_in";
    std::optional<int64_t> referrer_id;
    std::optional<int64_t> guide_id;
    std::string notes;
    std::string custom_fields = "{}";  // JSON object text
    std::string status = "active";
    std::optional<int64_t> merged_into_id;
    int64_t version = 1;
    int64_t created_at = 0;
    int64_t updated_at = 0;
    std::optional<int64_t> updated_by;
    std::string updated_by_name;
    MemberLoyalty loyalty;
};

// The fields a person edits (and a merge chooses between), in display order.
const std::vector<std::string>& EditableFields();
// Personal fields: encrypted at rest, masked for roles without members.pii.
bool IsPersonalField(const std::string& field);

// A field's value as text for history and comparison ("" for none).
std::string FieldText(const MemberRecord& record, const std::string& field);
void SetFieldText(MemberRecord& record, const std::string& field, const std::string& value);

struct FieldChange {
    std::string field;
    std::string old_value;
    std::string new_value;
};
std::vector<FieldChange> Diff(const MemberRecord& before, const MemberRecord& after);

// Merge survivorship: starts from `survivor`; a field whose choice is "other" takes the other
// member's value; a field with no choice keeps the survivor's value unless it is empty, in
// which case the other's fills the gap. Identity fields (id, member_no, version) never move.
MemberRecord ApplySurvivorship(const MemberRecord& survivor, const MemberRecord& other,
                               const std::map<std::string, std::string>& choices);

// Masked forms shown to roles without members.pii.
std::string MaskBirthday(const std::string& birthday);  // "****-05-**"

}  // namespace storecrm::members
