#pragma once
// Excel exports (libxlsxwriter): one sheet of rows, the first a bold header; cells that read
// as numbers are written as numbers so the spreadsheet can sum them.

#include <string>
#include <vector>

#include "common/csv.hpp"
#include "common/error.hpp"

namespace storecrm {

Result<std::string> XlsxDocument(const std::string& sheet_name, const std::vector<CsvRow>& rows);

}  // namespace storecrm
