#pragma once
// Member sessions of the member's own pages: a cookie of their own (storecrm_member), never
// accepted as a staff session and the other way round; writes carry the session's CSRF token.

#include <cstdint>
#include <string>

#include "common/error.hpp"
#include "http/context.hpp"

namespace storecrm::portal {

inline constexpr const char* kMemberCookie = "storecrm_member";
inline constexpr int64_t kMemberSessionSeconds = 30 * 86400;

struct MemberAuth {
    int64_t member_id = 0;
    int64_t session_id = 0;
    std::string csrf_token;
};

// Opens a session and sets its cookie on the response; returns the CSRF token.
Result<std::string> OpenMemberSession(http::RequestContext& ctx, int64_t member_id);
// The signed-in member of this request (401 without one; 403 for a write without the CSRF token).
Result<MemberAuth> AuthenticateMember(http::RequestContext& ctx);
// Clears the cookie on the response.
void ClearMemberCookie(http::RequestContext& ctx);

// The identity member self-service writes under: the member themselves, not a staff member.
security::Principal MemberActor(int64_t member_id);

}  // namespace storecrm::portal
