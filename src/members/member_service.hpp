#pragma once
// Member use cases shared by the routes: reading input onto a record with validation,
// loading a member the caller may see, and the JSON a caller gets (masked by role).

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "http/body_reader.hpp"
#include "http/context.hpp"
#include "members/member.hpp"
#include "members/member_repository.hpp"

namespace storecrm::members {

// A guardian's consent for a member under 14, taken by staff at the counter.
struct GuardianInput {
    std::string name;
    std::string phone;     // E.164
    std::string relation;  // parent | guardian
};

struct MemberInput {
    std::optional<std::vector<int64_t>> tags;
    std::optional<GuardianInput> guardian;
    std::map<std::string, bool> consents;  // channel → granted, only those sent
};

// Applies the body's fields onto `record`, validating each; `creating` makes phone (and a
// home store when the caller has several) required. Reports all field errors at once.
Status ReadMemberInput(http::BodyReader& body, http::RequestContext& ctx, MemberRecord& record, bool creating,
                       MemberInput& input);

// The member if it exists and lies in the caller's store scope; a merged member resolves to
// its survivor (`merged_from` is set). Anything else is 404.
struct VisibleMember {
    MemberRecord record;
    std::optional<int64_t> merged_from;
};
Result<VisibleMember> LoadVisibleMember(http::RequestContext& ctx, MemberRepository& repo, int64_t id);
// The member of the path's {id} as LoadVisibleMember finds it; with `active_only`, one that is
// not active is a field error on member_id (for routes that add points, coupons, redemptions).
Result<MemberRecord> LoadPathMember(http::RequestContext& ctx, bool active_only = false);

// Full JSON of one member with tags and consents; masked unless the caller holds members.pii.
Result<nlohmann::json> MemberJsonFor(http::RequestContext& ctx, MemberRepository& repo, const MemberRecord& record);
// The list form (no consents), masked likewise.
nlohmann::json MemberListJson(const MemberRecord& record, const nlohmann::json& tags, bool pii);

// Unique phone check, then insert/update with history, tags and consents in the caller's tx.
Status SaveNewMember(http::RequestContext& ctx, MemberRepository& repo, MemberRecord& record, const MemberInput& input);
Status SaveMemberChanges(http::RequestContext& ctx, MemberRepository& repo, const MemberRecord& before,
                         MemberRecord& after, const MemberInput& input, int64_t expected_version);

// The ids of the members in the caller's scope matching `filter`, an object of the member
// list's filter parameters (q, store_id, tags, cf.<key>, ...); at most `limit`.
Result<std::vector<int64_t>> MembersMatching(http::RequestContext& ctx, const nlohmann::json& filter, size_t limit);

// Domains that attach records to members (sales, points, coupons) move them to the survivor
// of a merge through a hook registered at start-up, so members need not know those domains.
using MemberMergeHook = std::function<Status(storage::Transaction& tx, int64_t from, int64_t to)>;
void AddMemberMergeHook(MemberMergeHook hook);
Status RunMemberMergeHooks(storage::Transaction& tx, int64_t from, int64_t to);
// Called in the same transaction after a member was registered (`created`) or changed
// (loyalty grants points for registering and for completing the profile).
using MemberSavedHook = std::function<Status(storage::Transaction& tx, const MemberRecord& member, bool created)>;
void AddMemberSavedHook(MemberSavedHook hook);

}  // namespace storecrm::members
