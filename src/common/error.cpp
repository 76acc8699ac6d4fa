#include "common/error.hpp"

namespace storecrm {

Error Error::Validation(std::vector<FieldError> fields) {
    Error e;
    e.code = ErrorCode::kValidation;
    e.message = {"error.validation_failed", {}};
    e.fields = std::move(fields);
    return e;
}

Error Error::Field(std::string field, std::string key, std::vector<std::pair<std::string, std::string>> args) {
    return Validation({FieldError{std::move(field), Message{std::move(key), std::move(args)}}});
}

Error Error::NotFound() {
    Error e;
    e.code = ErrorCode::kNotFound;
    e.message = {"error.not_found", {}};
    return e;
}

Error Error::Forbidden() {
    Error e;
    e.code = ErrorCode::kForbidden;
    e.message = {"error.forbidden", {}};
    return e;
}

Error Error::Conflict(std::string field, std::string key) {
    Error e;
    e.code = ErrorCode::kConflict;
    e.message = {"error.conflict", {}};
    e.fields.push_back(FieldError{std::move(field), Message{std::move(key), {}}});
    return e;
}

Error Error::VersionConflict() {
    Error e;
    e.code = ErrorCode::kVersionConflict;
    e.message = {"error.version_conflict", {}};
    return e;
}

Error Error::Internal(std::string detail) {
    Error e;
    e.code = ErrorCode::kInternal;
    e.message = {"error.internal", {}};
    e.internal_detail = std::move(detail);
    return e;
}

Error Error::Busy(std::string detail) {
    Error e;
    e.code = ErrorCode::kBusy;
    e.message = {"error.busy", {}};
    e.internal_detail = std::move(detail);
    return e;
}

int HttpStatusFor(ErrorCode code) {
    switch (code) {
        case ErrorCode::kValidation: return 400;
        case ErrorCode::kInvalidJson: return 400;
        case ErrorCode::kUnauthenticated: return 401;
        case ErrorCode::kForbidden: return 403;
        case ErrorCode::kPasswordChangeRequired: return 403;
        case ErrorCode::kCsrfFailed: return 403;
        case ErrorCode::kTotpRequired: return 401;
        case ErrorCode::kTotpInvalid: return 401;
        case ErrorCode::kTotpEnrolmentRequired: return 403;
        case ErrorCode::kStorageFull: return 507;
        case ErrorCode::kNotFound: return 404;
        case ErrorCode::kVersionConflict: return 409;
        case ErrorCode::kConflict: return 409;
        case ErrorCode::kPayloadTooLarge: return 413;
        case ErrorCode::kUnprocessable: return 422;
        case ErrorCode::kAccountLocked: return 423;
        case ErrorCode::kRateLimited: return 429;
        case ErrorCode::kBusy: return 503;
        case ErrorCode::kInternal: return 500;
    }
    return 500;
}

const char* ErrorCodeName(ErrorCode code) {
    switch (code) {
        case ErrorCode::kValidation: return "validation_failed";
        case ErrorCode::kInvalidJson: return "invalid_json";
        case ErrorCode::kUnauthenticated: return "unauthenticated";
        case ErrorCode::kForbidden: return "forbidden";
        case ErrorCode::kPasswordChangeRequired: return "password_change_required";
        case ErrorCode::kCsrfFailed: return "csrf_failed";
        case ErrorCode::kTotpRequired: return "totp_required";
        case ErrorCode::kTotpInvalid: return "totp_invalid";
        case ErrorCode::kTotpEnrolmentRequired: return "totp_enrolment_required";
        case ErrorCode::kStorageFull: return "storage_full";
        case ErrorCode::kNotFound: return "not_found";
        case ErrorCode::kVersionConflict: return "version_conflict";
        case ErrorCode::kConflict: return "conflict";
        case ErrorCode::kPayloadTooLarge: return "payload_too_large";
        case ErrorCode::kUnprocessable: return "unprocessable";
        case ErrorCode::kAccountLocked: return "account_locked";
        case ErrorCode::kRateLimited: return "rate_limited";
        case ErrorCode::kBusy: return "busy";
        case ErrorCode::kInternal: return "internal";
    }
    return "internal";
}

}  // namespace storecrm
