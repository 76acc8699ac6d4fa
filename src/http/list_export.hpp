#pragma once
// Any list as a file: a GET list route asked for ?format=csv|xlsx is run page after page
// (200 rows a page, up to kMaxExportRows) and its items flattened into columns — the same rows,
// masked the same way, as the screen shows. The route itself needs nothing for this.

#include "common/error.hpp"
#include "http/context.hpp"
#include "http/router.hpp"

namespace storecrm::http {

inline constexpr int64_t kMaxExportRows = 100000;

// True when the request asks for a file and `first` (the handler's answer) is a JSON page.
bool WantsListExport(const Request& request, const Response& first);

// Runs the rest of the pages, audits the export and builds the file.
Result<Response> ExportList(const Route& route, RequestContext& context, Request& request);

}  // namespace storecrm::http
