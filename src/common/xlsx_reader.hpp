#pragma once
// Reading the first sheet of an Excel .xlsx file (a zip of XML parts: libzip + expat) as rows
// of text, the way a person sees them: shared strings resolved, numbers as written, and
// row i of the result is spreadsheet row i + 1 (empty rows kept, so reports can cite rows).

#include <string_view>
#include <vector>

#include "common/csv.hpp"
#include "common/error.hpp"

namespace storecrm {

// nullopt-like failure (kValidation on "file") when the bytes are not a readable workbook.
Result<std::vector<CsvRow>> ReadXlsxFirstSheet(std::string_view bytes);

// True when the bytes start like a zip archive (an .xlsx) rather than text.
bool LooksLikeXlsx(std::string_view bytes);

}  // namespace storecrm
