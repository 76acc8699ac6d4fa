#pragma once
// Sales from a spreadsheet 销售导入 (another system's receipts): one row per line, rows with the
// same store, terminal and receipt number make one sale. Each sale goes through the till's own
// path — pricing, stock, points, tier — paid in full by the file's payment method, so what the
// file says and what a till would have done agree. A receipt number already in the store is an
// error on its rows: importing the same file twice adds nothing.

#include <vector>

#include "common/csv.hpp"
#include "common/import_rows.hpp"
#include "http/context.hpp"

namespace storecrm::sales {

Status ImportSaleRows(http::RequestContext& ctx, const std::vector<CsvRow>& rows, ImportSink& sink);
std::vector<CsvRow> SaleImportTemplate();

}  // namespace storecrm::sales
