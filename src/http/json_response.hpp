#pragma once
// Turns values and errors into HTTP responses. The only place an ErrorCode becomes a status.

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "common/error.hpp"
#include "common/messages.hpp"
#include "http/request.hpp"

namespace storecrm::http {

Response JsonOk(const nlohmann::json& body, int status = 200);
Response ErrorResponse(const Error& error, Locale locale);

// kVersionConflict carrying the record as it is now (as "current") when the version the
// caller edited (`sent`) is not the record's "version".
Status CheckVersion(int64_t sent, const nlohmann::json& current);

// {"items": [...], "next_cursor": ..., "total": N}
Response PageResponse(nlohmann::json items, const std::string& next_cursor, int64_t total);

}  // namespace storecrm::http
