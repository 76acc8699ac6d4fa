#pragma once
// What every report route reads the same way: the period (?from&to, dates in China time), the
// stores (?store_id=1,2, limited to the caller's), and bringing the columns up to date.

#include "analytics/sales_columns.hpp"
#include "http/context.hpp"

namespace storecrm::analytics {

Result<Period> ReadPeriod(http::RequestContext& ctx, int default_days);
// The columns, caught up with the database.
Status EnsureCurrent(http::RequestContext& ctx);
std::string DayText(uint16_t day);  // "YYYY-MM-DD"

}  // namespace storecrm::analytics
