#pragma once
// Result<T> and Error: expected failures are values, mapped to HTTP in one place
// (http/error_mapping.cpp). Messages are keys into the catalog (common/messages.cpp) so the
// HTTP layer can render them in the caller's language.

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace storecrm {

// When adding a code, also update HttpStatusFor() and ErrorCodeName() in error.cpp.
enum class ErrorCode {
    kValidation,              // 400: field errors
    kInvalidJson,             // 400
    kUnauthenticated,         // 401
    kForbidden,               // 403
    kPasswordChangeRequired,  // 403
    kCsrfFailed,              // 403
    kTotpRequired,            // 401: right password, the one-time code is missing
    kTotpInvalid,             // 401: wrong or reused one-time code
    kTotpEnrolmentRequired,   // 403: the role needs two-factor sign-in and it is off
    kStorageFull,             // 507: the disk is full; nothing was written
    kNotFound,                // 404
    kVersionConflict,         // 409: stale version
    kConflict,                // 409: unique value taken etc.
    kPayloadTooLarge,         // 413
    kUnprocessable,           // 422
    kAccountLocked,           // 423
    kRateLimited,             // 429
    kBusy,                    // 503 + Retry-After
    kInternal,                // 500
};

// A message key with named arguments, e.g. {"field.too_long", {{"max", "64"}}}.
struct Message {
    std::string key;
    std::vector<std::pair<std::string, std::string>> args;
};

struct FieldError {
    std::string field;
    Message message;
};

struct Error {
    ErrorCode code = ErrorCode::kInternal;
    Message message;
    std::vector<FieldError> fields;
    std::string internal_detail;  // logged, never sent to the client
    std::string extra_json;       // optional JSON object merged into the error body (e.g. "current")

    static Error Validation(std::vector<FieldError> fields);
    static Error Field(std::string field, std::string key, std::vector<std::pair<std::string, std::string>> args = {});
    static Error NotFound();
    static Error Forbidden();
    static Error Conflict(std::string field, std::string key);
    static Error VersionConflict();
    static Error Internal(std::string detail);
    static Error Busy(std::string detail);
};

int HttpStatusFor(ErrorCode code);
const char* ErrorCodeName(ErrorCode code);

// Result<T>: either a value or an Error. [[nodiscard]] so an ignored failure is a warning.
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : data_(std::move(value)) {}
    Result(Error error) : data_(std::move(error)) {}

    bool ok() const { return data_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() & { return std::get<0>(data_); }
    T&& value() && { return std::get<0>(std::move(data_)); }
    const T& value() const& { return std::get<0>(data_); }
    T* operator->() { return &std::get<0>(data_); }
    const T* operator->() const { return &std::get<0>(data_); }
    T& operator*() { return std::get<0>(data_); }
    const Error& error() const { return std::get<1>(data_); }
    Error&& take_error() { return std::get<1>(std::move(data_)); }

private:
    std::variant<T, Error> data_;
};

struct Unit {};
using Status = Result<Unit>;
inline Status Ok() { return Unit{}; }

}  // namespace storecrm

// Propagates an error from an expression returning Result<...>.
#define STORECRM_TRY(expr)                                    \
    do {                                                      \
        auto storecrm_try_result_ = (expr);                   \
        if (!storecrm_try_result_.ok()) return storecrm_try_result_.take_error(); \
    } while (0)
