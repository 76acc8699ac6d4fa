#include "portal/otp.hpp"

#include <sodium.h>

#include <cstdio>

#include "common/phone.hpp"

namespace storecrm::portal {
namespace {

constexpr int64_t kPerPhoneGapSeconds = 60;
constexpr int64_t kPerPhonePerHour = 5;
constexpr int64_t kPerAddressPerHour = 20;

Error RateLimited() {
    Error e;
    e.code = ErrorCode::kRateLimited;
    e.message = {"error.rate_limited", {}};
    return e;
}

std::string CodeHash(const security::FieldVault& vault, const std::string& phone, const std::string& code) {
    return security::HashToken(vault.BlindIndex("otp", phone + ":" + code));
}

}  // namespace

Status IssueOtp(storage::Transaction& tx, const security::FieldVault& vault, const OtpRequest& r) {
    const storage::Blob phone_key{vault.BlindIndex("phone", r.phone)};
    auto recent = tx.QueryOne(
        "SELECT COUNT(*), COALESCE(MAX(created_at), 0) FROM otp_codes WHERE phone_bidx = ? AND created_at > ?",
        {phone_key, r.now - 3600});
    if (!recent.ok()) return recent.take_error();
    if ((*recent)->Int(0) >= kPerPhonePerHour || (*recent)->Int(1) > r.now - kPerPhoneGapSeconds) return RateLimited();
    auto by_address = tx.QueryOne("SELECT COUNT(*) FROM otp_codes WHERE ip = ? AND created_at > ?", {r.ip, r.now - 3600});
    if (!by_address.ok()) return by_address.take_error();
    if ((*by_address)->Int(0) >= kPerAddressPerHour) return RateLimited();
    char code[8];
    std::snprintf(code, sizeof code, "%06u", randombytes_uniform(1000000));
    STORECRM_TRY(tx.Exec(
        "INSERT INTO otp_codes (phone_bidx, code_hash, expires_at, ip, created_at) VALUES (?, ?, ?, ?, ?)",
        {phone_key, CodeHash(vault, r.phone, code), r.now + kOtpLifetimeSeconds, r.ip, r.now}));
    STORECRM_TRY(tx.Exec(
        "INSERT INTO messages (member_id, recipient, recipient_enc, channel, purpose, body, status, created_at, sent_at) "
        "VALUES (?, ?, ?, 'sms', 'otp', ?, 'sent', ?, ?)",
        {r.member_id, MaskPhone(r.phone), storage::Blob{vault.Encrypt(r.phone)},
         std::string("【会员中心】验证码 ") + code + "，5 分钟内有效。如非本人操作请忽略。", r.now, r.now}));
    return Ok();
}

Result<OtpCheck> CheckOtp(storage::Transaction& tx, const security::FieldVault& vault, const std::string& phone,
                          const std::string& code, int64_t now) {
    auto row = tx.QueryOne(
        "SELECT id, code_hash, attempts FROM otp_codes WHERE phone_bidx = ? AND used_at IS NULL AND expires_at > ? "
        "ORDER BY id DESC LIMIT 1",
        {storage::Blob{vault.BlindIndex("phone", phone)}, now});
    if (!row.ok()) return row.take_error();
    if (!row->has_value() || (*row)->Int(2) >= kOtpMaxAttempts) return OtpCheck::kExpiredOrUsed;
    const std::string expected = (*row)->Text(1);
    const std::string given = CodeHash(vault, phone, code);
    if (given.size() != expected.size() || sodium_memcmp(given.data(), expected.data(), given.size()) != 0) {
        STORECRM_TRY(tx.Exec("UPDATE otp_codes SET attempts = attempts + 1 WHERE id = ?", {(*row)->Int(0)}));
        return OtpCheck::kWrong;
    }
    STORECRM_TRY(tx.Exec("UPDATE otp_codes SET used_at = ? WHERE id = ?", {now, (*row)->Int(0)}));
    return OtpCheck::kOk;
}

}  // namespace storecrm::portal
