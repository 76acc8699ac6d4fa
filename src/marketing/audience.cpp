#include "marketing/audience.hpp"

#include <nlohmann/json.hpp>

#include "analytics/sales_columns.hpp"

namespace storecrm::marketing {

AudienceScope ScopeOf(const security::Principal& principal, int64_t now) {
    AudienceScope scope{.now = now};
    if (!principal.all_stores) scope.stores = principal.store_ids;
    return scope;
}

Result<MemberSet> EvaluateAudience(Services& services, const RuleGroup& rules, const AudienceScope& scope) {
    if (!services.audience) return Error::NotFound();
    STORECRM_TRY(services.audience->CatchUp(*services.db));
    if (services.analytics) STORECRM_TRY(services.analytics->CatchUp(*services.db));
    return services.audience->Evaluate(rules, scope, services.analytics);
}

Status CatchUpAudience(http::RequestContext& ctx) {
    if (!ctx.services.audience) return Ok();
    STORECRM_TRY(ctx.services.audience->CatchUp(*ctx.services.db));
    if (ctx.services.analytics) STORECRM_TRY(ctx.services.analytics->CatchUp(*ctx.services.db));
    return Ok();
}

Result<RuleGroup> StoredRules(const std::string& text) {
    auto j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded()) return Error::Internal("stored rules are not JSON");
    return ParseRules(j);
}

}  // namespace storecrm::marketing
