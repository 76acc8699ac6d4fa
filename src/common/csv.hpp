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

// One quoted field for a spreadsheet: text starting with = + - @ gets a leading ' so it is
// not run as a formula (numbers, negative ones included, stay numbers).
std::string CsvField(std::string_view value);
// A whole file: UTF-8 BOM (Excel then reads Chinese right), CRLF rows.
std::string CsvDocument(const std::vector<CsvRow>& rows);

}  // namespace storecrm
