#pragma once
// Demand forecast 需求预测: daily quantities per store and category for the next weeks, from a
// seasonal model — the recent level, each weekday's share of the week, and how much more (or
// less) the category sells on Chinese public holidays, learnt from its own past holidays.

#include <cstdint>
#include <array>
#include <map>
#include <vector>

#include "analytics/sales_columns.hpp"

namespace storecrm::analytics {

// Chinese public holidays 法定节假日 (days off, as the State Council announces each December).
bool IsPublicHoliday(uint16_t day);

struct ForecastQuery {
    uint16_t today = 0;        // the forecast starts the day after
    int history_days = 364;    // learnt from
    int level_weeks = 8;       // the recent level is the mean of these weeks
    int horizon_days = 28;
    std::vector<uint16_t> stores;
    const std::vector<uint32_t>* category_of = nullptr;  // product → category; null: per product
};

struct SeriesForecast {
    uint16_t store = 0;
    uint32_t item = 0;           // category (or product)
    double weekly_level = 0;     // recent mean quantity per week
    std::array<double, 7> weekday_share{};  // Monday first; sums to 1
    double holiday_factor = 1;   // sales on a holiday / a normal day like it
    std::vector<double> daily;   // the horizon, day by day
};

std::vector<SeriesForecast> ForecastDemand(const SalesColumns& columns, const ForecastQuery& query);

}  // namespace storecrm::analytics
