#include "http/dispatcher.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

#include "common/logging.hpp"
#include "common/metrics.hpp"
#include "http/json_response.hpp"
#include "http/list_export.hpp"
#include "security/rate_limiter.hpp"
#include "security/session_service.hpp"

namespace storecrm::http {
namespace {

bool IsSafeMethod(const std::string& method) { return method == "GET" || method == "HEAD" || method == "OPTIONS"; }

Error Coded(ErrorCode code, const char* key) {
    Error e;
    e.code = code;
    e.message = {key, {}};
    return e;
}

// Public pages (the member's own pages, surveys, unsubscribe) per address, sign-in aside (it
// has its own throttle); exports per caller: each reads up to 100,000 rows.
security::RateLimiter& PublicLimiter() {
    static security::RateLimiter limiter(300);
    return limiter;
}
security::RateLimiter& ExportLimiter() {
    static security::RateLimiter limiter(30);
    return limiter;
}

Result<Response> Run(const Route& route, Services& services, Request& request, Locale& locale,
                     bool header_locale) {
    // Sign-in has its own throttle; the test clock exists only on a server started for tests.
    const bool limited = route.permission == kPublic && route.pattern != "/api/v1/session" &&
                         route.pattern != "/api/v1/test/clock";
    if (limited && !PublicLimiter().Allow(request.remote_ip)) {
        return Coded(ErrorCode::kRateLimited, "error.rate_limited");
    }
    auto idempotency_key = ReadIdempotencyKey(request, route.idempotency);
    if (!idempotency_key.ok()) return idempotency_key.take_error();
    std::optional<std::unique_ptr<InFlightKey>> in_flight;
    if (*idempotency_key) {
        in_flight = InFlightKey::Claim(request, **idempotency_key);
        if (!*in_flight) return Coded(ErrorCode::kConflict, "error.idempotency_in_progress");
    }
    security::Principal principal;
    bool touch_session = false;
    auto authorize = [&](storage::Transaction& tx) -> Status {
        if (route.permission == kPublic) return Ok();
        auto auth = security::Authenticate(tx, services, request);
        if (!auth.ok()) return auth.take_error();
        principal = std::move(auth->principal);
        touch_session = auth->touch_session;
        if (!header_locale) locale = principal.locale;
        if (principal.kind == security::Principal::Kind::kStaff && !IsSafeMethod(request.method) &&
            (request.Header("x-csrf-token").empty() || request.Header("x-csrf-token") != principal.csrf_token)) {
            return Coded(ErrorCode::kCsrfFailed, "error.csrf_failed");
        }
        if (route.staff_only && principal.kind != security::Principal::Kind::kStaff) return Error::Forbidden();
        if (principal.must_change_password && !route.allowed_before_password_change) {
            return Coded(ErrorCode::kPasswordChangeRequired, "error.password_change_required");
        }
        if (principal.must_enrol_totp && !route.allowed_before_password_change) {
            return Coded(ErrorCode::kTotpEnrolmentRequired, "error.totp_enrolment_required");
        }
        if (!route.permission.empty() && !principal.Has(route.permission)) return Error::Forbidden();
        return Ok();
    };

    // A write route with a Preparer on SQLite: sign-in checks and the preparation read first,
    // outside the single writer's turn.
    std::any prepared;
    const bool prepare_apart = route.prepare && route.tx == storage::TxMode::kWrite &&
                               services.db->dialect() == storage::Dialect::kSqlite;
    std::string owner, fingerprint;
    auto stored_response = [&](storage::Transaction& tx) -> Result<std::optional<Response>> {
        if (!*idempotency_key) return std::optional<Response>();
        owner = std::string(principal.KindName()) + ":" + std::to_string(principal.id);
        fingerprint = RequestFingerprint(request);
        return FindStoredResponse(tx, owner, **idempotency_key, fingerprint);
    };
    if (prepare_apart) {
        auto read = services.db->Begin(storage::TxMode::kRead);
        if (!read.ok()) return read.take_error();
        STORECRM_TRY(authorize(**read));
        // A retry is answered before preparing: the first request may have used up what the
        // preparation checks (a coupon), and the retry must still get the first answer.
        auto stored = stored_response(**read);
        if (!stored.ok()) return stored.take_error();
        if (*stored) return std::move(**stored);
        RequestContext early(request, locale, principal, **read, services, true);
        STORECRM_TRY(route.prepare(early));
        prepared = std::move(early.prepared);
    }

    const auto tx_started = std::chrono::steady_clock::now();
    auto tx_result = services.db->Begin(route.tx);
    if (!tx_result.ok()) return tx_result.take_error();
    auto& tx = **tx_result;
    if (!prepare_apart) STORECRM_TRY(authorize(tx));

    {
        auto stored = stored_response(tx);
        if (!stored.ok()) return stored.take_error();
        if (*stored) return std::move(**stored);
    }

    const bool read_only = route.tx == storage::TxMode::kRead;
    RequestContext context(request, locale, std::move(principal), tx, services, read_only);
    if (prepare_apart) {
        context.prepared = std::move(prepared);
    } else if (route.prepare) {
        STORECRM_TRY(route.prepare(context));
    }
    // A retry that fails may have lost a race with its own first attempt, still finishing on
    // another connection when the retry looked for its answer (a server killed mid-commit and
    // restarted; the first attempt's receipt number or coupon then refuses the retry). Once that
    // attempt has committed, its stored answer is the answer.
    auto answer_of_first_attempt = [&](Error failure) -> Result<Response> {
        if (!*idempotency_key || read_only) return failure;
        tx_result->reset();  // roll back the retry before reading
        auto read = services.db->Begin(storage::TxMode::kRead);
        if (!read.ok()) return failure;
        auto stored = FindStoredResponse(**read, owner, **idempotency_key, fingerprint);
        if (stored.ok() && *stored) return std::move(**stored);
        return failure;
    };
    auto result = route.handler(context);
    if (!result.ok()) return answer_of_first_attempt(result.take_error());
    if (request.method == "GET" && WantsListExport(request, *result)) {
        const std::string caller = std::string(context.principal.KindName()) + ":" + std::to_string(context.principal.id);
        if (!ExportLimiter().Allow(caller)) return Coded(ErrorCode::kRateLimited, "error.rate_limited");
        result = ExportList(route, context, request, std::move(result).value());
        if (!result.ok()) return result;
    }
    if (*idempotency_key) {
        Status saved = StoreResponse(tx, owner, **idempotency_key, fingerprint, *result);
        if (saved.ok()) saved = CommitStoredResponse(tx);
        if (!saved.ok()) return answer_of_first_attempt(saved.take_error());
    } else if (!read_only) {
        STORECRM_TRY(tx.Commit());
    }
    tx_result->reset();  // hand the connection back before the follow-up writes below
    metrics::ObserveTransaction(!read_only,
                                std::chrono::duration<double>(std::chrono::steady_clock::now() - tx_started).count());

    if (!context.deferred_audit().empty() || touch_session) {
        auto write = services.db->Begin(storage::TxMode::kWrite);
        if (!write.ok()) return write.take_error();
        for (const auto& entry : context.deferred_audit()) {
            STORECRM_TRY(security::WriteAudit(**write, context.principal, request.remote_ip, entry));
        }
        if (touch_session) STORECRM_TRY(security::TouchSession(**write, context.principal.session_id));
        STORECRM_TRY((*write)->Commit());
    }
    for (auto& header : context.response_headers) result->headers.push_back(std::move(header));
    return result;
}

Response Answer(const Router::Match& match, Services& services, Request& request) {
    // "*" (what some HTTP clients send by default) states no preference: the saved one wins.
    const std::string_view accept = request.Header("accept-language");
    const bool header_locale = !accept.empty() && accept != "*";
    Locale locale = ParseLocale(request.Header("accept-language"));
    if (!match.route) {
        Error e = Coded(ErrorCode::kNotFound, match.path_matched ? "error.method_not_allowed" : "error.route_not_found");
        Response r = ErrorResponse(e, locale);
        if (match.path_matched) r.status = 405;
        return r;
    }
    request.path_params = match.params;
    Result<Response> result = Error::Internal("unset");
    try {
        result = Run(*match.route, services, request, locale, header_locale);
    } catch (const std::exception& e) {
        result = Error::Internal(e.what());
    }
    if (result.ok()) return std::move(result).value();
    const Error& error = result.error();
    if (error.code == ErrorCode::kInternal || error.code == ErrorCode::kBusy || error.code == ErrorCode::kStorageFull) {
        spdlog::error("{} {} [{}]: {} ({})", request.method, request.path, request.Header("x-request-id"),
                      ErrorCodeName(error.code), error.internal_detail);
    }
    return ErrorResponse(error, locale);
}

}  // namespace

Response Dispatch(const Router& router, Services& services, Request& request) {
    const auto started = std::chrono::steady_clock::now();
    auto match = router.Find(request.method, request.path);
    Response response = Answer(match, services, request);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    const std::string_view route = match.route ? std::string_view(match.route->pattern) : std::string_view("unmatched");
    metrics::CountRequest(request.method, route, response.status, seconds);
    // The route pattern, never the path or query: they can carry a phone number.
    logging::AccessLog().info(R"("request_id":"{}","method":"{}","route":"{}","status":{},"ms":{:.1f},"ip":"{}")",
                                request.Header("x-request-id"), request.method, route, response.status, seconds * 1000,
                                request.remote_ip);
    return response;
}

}  // namespace storecrm::http
