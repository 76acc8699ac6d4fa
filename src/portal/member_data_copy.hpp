#pragma once
// 个人信息副本: everything kept about a member as one JSON document — profile, consents with
// their wording versions, guardian, purchases, points, coupons, interactions and messages —
// for the member's own download and for staff answering an access request (PIPL art. 45).

#include <nlohmann/json.hpp>

#include "http/context.hpp"
#include "members/member.hpp"

namespace storecrm::portal {

Result<nlohmann::json> MemberDataCopy(http::RequestContext& ctx, const members::MemberRecord& record);

}  // namespace storecrm::portal
