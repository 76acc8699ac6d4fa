#pragma once
// Any list as a file: a GET list route asked for ?format=csv|xlsx is run page after page
// (200 rows a page, up to kMaxExportRows) and its items flattened into columns — the same rows,
// masked the same way, as the screen shows. The route itself needs nothing for this.

#include "common/error.hpp"
#include "http/context.hpp"
#include "http/router.hpp"

namespace storecrm::http {

inline constexpr int64_t kMaxExportRows = 100000;

// True when the request asks for a file (?format=csv|xlsx); then it also restarts the list at its
// first page, 200 rows a page, before the handler runs for the first time.
bool StartListExport(Request& request);

// True when `first` (the handler's answer to a request StartListExport accepted) is a JSON page.
bool IsListPage(const Response& first);

// Runs the rest of the pages after `first`, audits the export and builds the file.
Result<Response> ExportList(const Route& route, RequestContext& context, Request& request, Response first);

}  // namespace storecrm::http
