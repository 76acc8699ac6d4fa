#include "http/idempotency.hpp"

#include <sodium.h>

#include <mutex>
#include <set>

#include "common/clock.hpp"

namespace storecrm::http {
namespace {

std::mutex& InFlightMutex() {
    static std::mutex mutex;
    return mutex;
}

std::set<std::string>& InFlightSlots() {
    static std::set<std::string> slots;
    return slots;
}

std::string Hex(const unsigned char* data, size_t size) {
    std::string out(size * 2 + 1, '\0');
    sodium_bin2hex(out.data(), out.size(), data, size);
    out.pop_back();
    return out;
}

std::string Digest(const std::string& text) {
    unsigned char hash[32];
    crypto_generichash(hash, sizeof hash, reinterpret_cast<const unsigned char*>(text.data()), text.size(), nullptr, 0);
    return Hex(hash, sizeof hash);
}

Error KeyError(const char* key, ErrorCode code) {
    Error e;
    e.code = code;
    e.message = {key, {}};
    return e;
}

}  // namespace

std::optional<std::unique_ptr<InFlightKey>> InFlightKey::Claim(const Request& request, const std::string& key) {
    // The credentials stand in for the caller: the same till retrying sends the same token.
    std::string credentials(request.Header("authorization"));
    if (credentials.empty()) credentials = std::string(request.Header("cookie"));
    std::string slot = Digest(credentials + '\n' + key);
    std::lock_guard lock(InFlightMutex());
    if (!InFlightSlots().insert(slot).second) return std::nullopt;
    return std::unique_ptr<InFlightKey>(new InFlightKey(std::move(slot)));
}

InFlightKey::~InFlightKey() {
    std::lock_guard lock(InFlightMutex());
    InFlightSlots().erase(slot_);
}

Result<std::optional<std::string>> ReadIdempotencyKey(const Request& request, Idempotency mode) {
    const std::string key(request.Header("idempotency-key"));
    if (key.empty()) {
        if (mode == Idempotency::kRequired) return Error::Field("Idempotency-Key", "error.idempotency_key_required");
        return std::optional<std::string>();
    }
    bool printable = key.size() <= 255;
    for (char c : key) printable = printable && c > 0x20 && c < 0x7f;
    if (!printable) return Error::Field("Idempotency-Key", "field.out_of_range", {{"min", "1"}, {"max", "255"}});
    return std::optional<std::string>(key);
}

std::string RequestFingerprint(const Request& request) {
    std::string text = request.method + '\n' + request.path + '\n';
    for (const auto& [name, value] : request.query) text += name + '=' + value + '&';
    return Digest(text + '\n' + request.body);
}

Result<std::optional<Response>> FindStoredResponse(storage::Transaction& tx, const std::string& owner,
                                                   const std::string& key, const std::string& fingerprint) {
    auto row = tx.QueryOne("SELECT request_hash, status_code, response_body FROM idempotency_keys WHERE owner = ? AND key = ?",
                           {owner, key});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return std::optional<Response>();
    if ((*row)->Text(0) != fingerprint) return KeyError("error.idempotency_key_reused", ErrorCode::kUnprocessable);
    Response response = Response::Json(static_cast<int>((*row)->Int(1)), (*row)->Text(2));
    response.headers.emplace_back("Idempotent-Replayed", "true");
    return std::optional<Response>(std::move(response));
}

Status StoreResponse(storage::Transaction& tx, const std::string& owner, const std::string& key,
                     const std::string& fingerprint, const Response& response) {
    // Deferred: on PostgreSQL it travels with COMMIT. If another instance stored this key while
    // we worked, the unique key fails that COMMIT (see CommitStoredResponse): it was first.
    auto stored = tx.Defer(
        "INSERT INTO idempotency_keys (owner, key, request_hash, status_code, response_body, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        {owner, key, fingerprint, response.status, response.body, NowUnix()});
    if (!stored.ok() && stored.error().code == ErrorCode::kConflict) {
        return KeyError("error.idempotency_in_progress", ErrorCode::kConflict);
    }
    return stored;
}

Status CommitStoredResponse(storage::Transaction& tx) {
    auto committed = tx.Commit();
    if (!committed.ok() && committed.error().code == ErrorCode::kConflict) {
        return KeyError("error.idempotency_in_progress", ErrorCode::kConflict);
    }
    return committed;
}

}  // namespace storecrm::http
