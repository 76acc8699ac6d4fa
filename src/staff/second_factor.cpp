#include "staff/second_factor.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

#include "common/clock.hpp"
#include "security/crypto.hpp"
#include "security/sealed_text.hpp"
#include "security/totp.hpp"
#include "storage/key_value.hpp"

namespace storecrm::staff {

Result<bool> AcceptSecondFactor(http::RequestContext& ctx, int64_t staff_id, const std::string& sealed_secret,
                                int64_t last_step, const std::string& code) {
    auto secret = security::OpenText(*ctx.services.vault, sealed_secret);
    if (!secret) return Error::Internal("two-factor secret of staff " + std::to_string(staff_id) + " does not decrypt");
    if (auto step = security::MatchTotp(*secret, code, NowUnix())) {
        if (*step <= last_step) return false;  // already used: a code seen over a shoulder
        STORECRM_TRY(ctx.tx.Exec("UPDATE staff SET totp_last_step = ? WHERE id = ?", {*step, staff_id}));
        return true;
    }
    const std::string recovery = security::NormalizeRecoveryCode(code);
    if (recovery.empty()) return false;
    auto used = ctx.tx.Exec(
        "UPDATE staff_recovery_codes SET used_at = ? WHERE staff_id = ? AND code_hash = ? AND used_at IS NULL",
        {NowUnix(), staff_id, security::HashToken(recovery)});
    if (!used.ok()) return used.take_error();
    if (used->changes == 0) return false;
    STORECRM_TRY(ctx.Audit({"session.recovery_code_used", "staff", std::to_string(staff_id), "{}"}));
    return true;
}

}  // namespace storecrm::staff

namespace storecrm::staff {
namespace {
constexpr const char* kRequiredRolesKey = "security.totp_required_roles";
}

Result<std::vector<std::string>> TotpRequiredRoles(storage::Transaction& tx) {
    auto value = storage::GetKeyValue(tx, "ops_settings", kRequiredRolesKey);
    if (!value.ok()) return value.take_error();
    std::vector<std::string> roles;
    if (!value->has_value()) return roles;
    auto parsed = nlohmann::json::parse(**value, nullptr, false);
    if (!parsed.is_array()) return roles;
    for (const auto& code : parsed) {
        if (code.is_string()) roles.push_back(code.get<std::string>());
    }
    return roles;
}

Status SetTotpRequiredRoles(storage::Transaction& tx, const std::vector<std::string>& role_codes) {
    return storage::PutKeyValue(tx, "ops_settings", kRequiredRolesKey, nlohmann::json(role_codes).dump());
}

Result<bool> RoleRequiresTotp(storage::Transaction& tx, int64_t staff_id) {
    auto roles = TotpRequiredRoles(tx);
    if (!roles.ok()) return roles.take_error();
    auto row = tx.QueryOne("SELECT r.code FROM staff s JOIN roles r ON r.id = s.role_id WHERE s.id = ?", {staff_id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return false;
    const std::string code = (*row)->Text(0);
    return std::find(roles->begin(), roles->end(), code) != roles->end();
}

}  // namespace storecrm::staff
