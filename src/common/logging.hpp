#pragma once
// Log output: one JSON object a line (time in UTC, level, logger, message; the access log adds
// request id, route, status and milliseconds) for collectors such as journald → Loki, or plain
// text for a person at a terminal.

#include <spdlog/logger.h>

namespace storecrm::logging {

enum class Format { kJson, kText };

// Sets the pattern of every logger, the default one and the access log alike.
void Configure(Format format);

// One line per API request; its message is already a JSON object's fields.
spdlog::logger& AccessLog();

}  // namespace storecrm::logging
