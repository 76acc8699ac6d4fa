#pragma once
// What routes and jobs share about audiences: rules read from a request or a saved row,
// evaluated over the caller's stores with the index and the sales columns brought up to date.

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "http/context.hpp"
#include "marketing/audience_index.hpp"

namespace storecrm::marketing {

// The caller's home-store scope (nullopt: every store).
AudienceScope ScopeOf(const security::Principal& principal, int64_t now);

// Catches the index and the sales columns up, then evaluates.
Result<MemberSet> EvaluateAudience(Services& services, const RuleGroup& rules, const AudienceScope& scope);
inline Result<MemberSet> EvaluateAudience(http::RequestContext& ctx, const RuleGroup& rules, int64_t now) {
    return EvaluateAudience(ctx.services, rules, ScopeOf(ctx.principal, now));
}

// The Preparer of write routes that evaluate an audience: catches the index and the sales
// columns up before the write transaction (on SQLite, before the single writer's turn), so the
// evaluation inside it finds next to nothing left to read — a catch-up after a big import
// would otherwise hold every till's checkout back.
Status CatchUpAudience(http::RequestContext& ctx);

// A saved rules text (segments.rules, campaigns.rules) back into a tree.
Result<RuleGroup> StoredRules(const std::string& text);

}  // namespace storecrm::marketing
