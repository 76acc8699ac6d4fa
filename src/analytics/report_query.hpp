#pragma once
// What every report route reads the same way: the period (?from&to, dates in China time), the
// stores (?store_id=1,2, limited to the caller's), and bringing the columns up to date.

#include "analytics/sales_columns.hpp"
#include "common/csv.hpp"
#include "http/context.hpp"
#include "http/request.hpp"

namespace storecrm::analytics {

Result<Period> ReadPeriod(http::RequestContext& ctx, int default_days);
// " AND <column> IN (?, …)" for the period's stores (nothing when all) — for report queries
// that read the database rather than the columns.
std::string StoreInClause(const Period& period, const std::string& column, storage::Params& params);
// The columns, caught up with the database.
Status EnsureCurrent(http::RequestContext& ctx);
std::string DayText(uint16_t day);  // "YYYY-MM-DD"

// ?format=csv or ?format=xlsx asks for the report's main table as a file.
bool WantsExport(const http::RequestContext& ctx);
// That file (CSV with BOM, or an Excel sheet), audited as analytics.export.
Result<http::Response> ExportRows(http::RequestContext& ctx, const std::string& report, const std::vector<CsvRow>& rows);

}  // namespace storecrm::analytics
