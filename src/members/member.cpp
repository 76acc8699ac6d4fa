#include "members/member.hpp"

#include <set>

namespace storecrm::members {
namespace {

std::string OptText(const std::optional<int64_t>& v) { return v ? std::to_string(*v) : ""; }
std::optional<int64_t> TextOpt(const std::string& s) {
    if (s.empty()) return std::nullopt;
    return std::stoll(s);
}

}  // namespace

const std::vector<std::string>& EditableFields() {
    static const std::vector<std::string> fields = {
        "phone",   "name",     "gender",        "birthday", "email",       "wechat_id", "address", "company",
        "category", "home_store_id", "source", "referrer_id", "guide_id", "notes",   "custom_fields"};
    return fields;
}

bool IsPersonalField(const std::string& field) {
    static const std::set<std::string> personal = {"phone", "email", "address", "birthday", "wechat_id"};
    return personal.count(field) > 0;
}

std::string FieldText(const MemberRecord& r, const std::string& f) {
    if (f == "phone") return r.phone;
    if (f == "name") return r.name;
    if (f == "gender") return r.gender;
    if (f == "birthday") return r.birthday;
    if (f == "email") return r.email;
    if (f == "wechat_id") return r.wechat_id;
    if (f == "address") return r.address;
    if (f == "company") return r.company;
    if (f == "category") return r.category;
    if (f == "home_store_id") return std::to_string(r.home_store_id);
    if (f == "source") return r.source;
    if (f == "referrer_id") return OptText(r.referrer_id);
    if (f == "guide_id") return OptText(r.guide_id);
    if (f == "notes") return r.notes;
    if (f == "custom_fields") return r.custom_fields;
    if (f == "status") return r.status;
    return {};
}

void SetFieldText(MemberRecord& r, const std::string& f, const std::string& v) {
    if (f == "phone") r.phone = v;
    else if (f == "name") r.name = v;
    else if (f == "gender") r.gender = v;
    else if (f == "birthday") r.birthday = v;
    else if (f == "email") r.email = v;
    else if (f == "wechat_id") r.wechat_id = v;
    else if (f == "address") r.address = v;
    else if (f == "company") r.company = v;
    else if (f == "category") r.category = v;
    else if (f == "home_store_id") r.home_store_id = v.empty() ? 0 : std::stoll(v);
    else if (f == "source") r.source = v;
    else if (f == "referrer_id") r.referrer_id = TextOpt(v);
    else if (f == "guide_id") r.guide_id = TextOpt(v);
    else if (f == "notes") r.notes = v;
    else if (f == "custom_fields") r.custom_fields = v.empty() ? "{}" : v;
    else if (f == "status") r.status = v;
}

std::vector<FieldChange> Diff(const MemberRecord& before, const MemberRecord& after) {
    std::vector<FieldChange> changes;
    for (const auto& field : EditableFields()) {
        std::string a = FieldText(before, field), b = FieldText(after, field);
        if (a != b) changes.push_back({field, std::move(a), std::move(b)});
    }
    return changes;
}

MemberRecord ApplySurvivorship(const MemberRecord& survivor, const MemberRecord& other,
                               const std::map<std::string, std::string>& choices) {
    MemberRecord result = survivor;
    for (const auto& field : EditableFields()) {
        auto choice = choices.find(field);
        const std::string mine = FieldText(survivor, field);
        const std::string theirs = FieldText(other, field);
        if (choice != choices.end()) {
            if (choice->second == "other") SetFieldText(result, field, theirs);
        } else if ((mine.empty() || mine == "{}") && !theirs.empty()) {
            SetFieldText(result, field, theirs);
        }
    }
    // The other member's notes are kept rather than lost when the survivor's win.
    if (choices.count("notes") == 0 && !survivor.notes.empty() && !other.notes.empty() &&
        survivor.notes != other.notes) {
        result.notes = survivor.notes + "\n" + other.notes;
    }
    return result;
}

std::string MaskBirthday(const std::string& birthday) {
    if (birthday.size() != 10) return "";
    return "****-" + birthday.substr(5, 2) + "-**";
}

}  // namespace storecrm::members
