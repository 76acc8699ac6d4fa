#pragma once
// A table as a download: CSV (UTF-8 with BOM, for Excel) or an Excel sheet, named
// "<name>-<China date>.<ext>". Callers audit the export themselves.

#include <string>
#include <vector>

#include "common/csv.hpp"
#include "common/error.hpp"
#include "http/request.hpp"

namespace storecrm::http {

Result<Response> TableFile(const std::string& name, const std::vector<CsvRow>& rows, bool excel);

}  // namespace storecrm::http
