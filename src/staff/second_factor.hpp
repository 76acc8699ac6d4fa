#pragma once
// Checking the second factor at sign-in: a fresh one-time code, or an unused recovery code.

#include <string>
#include <vector>

#include "common/error.hpp"
#include "http/context.hpp"

namespace storecrm::staff {

// True when `code` is a one-time code of a step later than `last_step` (recorded, so it cannot
// be replayed) or an unused recovery code (marked used). `sealed_secret` is the staff row's
// totp_secret_enc.
Result<bool> AcceptSecondFactor(http::RequestContext& ctx, int64_t staff_id, const std::string& sealed_secret,
                                int64_t last_step, const std::string& code);

}  // namespace storecrm::staff

namespace storecrm::staff {

// The roles whose members must sign in with a second factor (setting
// security.totp_required_roles, a JSON array of role codes).
Result<std::vector<std::string>> TotpRequiredRoles(storage::Transaction& tx);
Status SetTotpRequiredRoles(storage::Transaction& tx, const std::vector<std::string>& role_codes);
Result<bool> RoleRequiresTotp(storage::Transaction& tx, int64_t staff_id);

}  // namespace storecrm::staff
