#pragma once
// Any list as a file: a GET list route asked for ?format=csv|xlsx is run page after page
// (200 rows a page, up to kMaxExportRows) and its items flattened into columns — the same rows,
// masked the same way, as the screen shows. The route itself needs nothing for this.

#include "common/error.hpp"
#include "http/context.hpp"
#include "http/router.hpp"

namespace storecrm::http {

inline constexpr int64_t kMaxExportRows = 100000;

// True when the request asks for a file (?format=csv|xlsx) and `first` (the handler's answer) is
// a JSON list page. Only then is the query touched: report routes answer files themselves, and
// their `limit` may mean a top N rather than a page size.
bool WantsListExport(const Request& request, const Response& first);

// Builds the file from `first` and the pages after it (200 rows a page), audits the export. The
// handler runs again for the first page only when the caller's request started mid-list.
Result<Response> ExportList(const Route& route, RequestContext& context, Request& request, Response first);

}  // namespace storecrm::http
