#pragma once
// Products from a spreadsheet 商品导入: SKU, name and price, optionally barcode, category and
// status; a known SKU updates its product. Every row is checked before any is written.

#include <vector>

#include "common/csv.hpp"
#include "common/import_rows.hpp"
#include "http/context.hpp"

namespace storecrm::catalog {

// `rows` includes the header. Writes only when every row passed and `write` is set.
Status ImportProductRows(http::RequestContext& ctx, const std::vector<CsvRow>& rows, ImportSink& sink, bool write,
                         int64_t* created);
std::vector<CsvRow> ProductImportTemplate();

}  // namespace storecrm::catalog
