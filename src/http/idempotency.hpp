#pragma once
// Idempotency-Key for POST routes that integrations retry (Stripe's semantics, IETF draft
// "The Idempotency-Key HTTP Header Field"): the first successful response is stored with the
// key in the same transaction as the change, and a retry gets it back byte for byte; the same
// key with another body is a 422; a retry while the first is still being processed is a 409.

#include <memory>
#include <optional>
#include <string>

#include "common/error.hpp"
#include "http/request.hpp"
#include "storage/database.hpp"

namespace storecrm::http {

enum class Idempotency { kNone, kOptional, kRequired };

// Held while a keyed request runs in this process; a second one with the same credentials
// and key is refused (409) instead of queueing behind it.
class InFlightKey {
public:
    // nullopt when another request with the same credentials and key is running.
    static std::optional<std::unique_ptr<InFlightKey>> Claim(const Request& request, const std::string& key);
    ~InFlightKey();
    InFlightKey(const InFlightKey&) = delete;
    InFlightKey& operator=(const InFlightKey&) = delete;

private:
    explicit InFlightKey(std::string slot) : slot_(std::move(slot)) {}
    std::string slot_;
};

// The key header checked for shape; a validation error when required and missing or malformed.
Result<std::optional<std::string>> ReadIdempotencyKey(const Request& request, Idempotency mode);

// A fingerprint of what the request asks (method, path, query, body).
std::string RequestFingerprint(const Request& request);

// The stored response for (owner, key): 422 when the fingerprint differs.
Result<std::optional<Response>> FindStoredResponse(storage::Transaction& tx, const std::string& owner,
                                                   const std::string& key, const std::string& fingerprint);
// Stores the first answer for (owner, key) with the transaction's other writes; commit with
// CommitStoredResponse, which reports another instance's earlier store of the key as 409.
Status StoreResponse(storage::Transaction& tx, const std::string& owner, const std::string& key,
                     const std::string& fingerprint, const Response& response);
Status CommitStoredResponse(storage::Transaction& tx);

}  // namespace storecrm::http
