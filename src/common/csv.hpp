#pragma once
// RFC 4180 CSV: quoted fields with "" escapes, CRLF or LF rows, an optional UTF-8 BOM (Excel
// writes one). Small enough to own; the product imports and exports need nothing more.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace storecrm {

using CsvRow = std::vector<std::string>;

// nullopt when a quoted field never closes.
std::optional<std::vector<CsvRow>> ParseCsv(std::string_view text);

}  // namespace storecrm
