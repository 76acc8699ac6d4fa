#include "analytics/forecast.hpp"

#include <algorithm>
#include <cstdio>
#include <set>

#include "analytics/reports.hpp"

namespace storecrm::analytics {
namespace {

// Days off by year (weekends moved to make bridges are working days and not listed). The
// coming year's dates are published each December; add them here when they are.
constexpr const char* kHolidays[] = {
    // 2024
    "2024-01-01", "2024-02-10", "2024-02-11", "2024-02-12", "2024-02-13", "2024-02-14", "2024-02-15", "2024-02-16",
    "2024-02-17", "2024-04-04", "2024-04-05", "2024-04-06", "2024-05-01", "2024-05-02", "2024-05-03", "2024-05-04",
    "2024-05-05", "2024-06-10", "2024-09-15", "2024-09-16", "2024-09-17", "2024-10-01", "2024-10-02", "2024-10-03",
    "2024-10-04", "2024-10-05", "2024-10-06", "2024-10-07",
    // 2025
    "2025-01-01", "2025-01-28", "2025-01-29", "2025-01-30", "2025-01-31", "2025-02-01", "2025-02-02", "2025-02-03",
    "2025-02-04", "2025-04-04", "2025-04-05", "2025-04-06", "2025-05-01", "2025-05-02", "2025-05-03", "2025-05-04",
    "2025-05-05", "2025-05-31", "2025-06-01", "2025-06-02", "2025-10-01", "2025-10-02", "2025-10-03", "2025-10-04",
    "2025-10-05", "2025-10-06", "2025-10-07", "2025-10-08",
    // 2026
    "2026-01-01", "2026-01-02", "2026-01-03", "2026-02-15", "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19",
    "2026-02-20", "2026-02-21", "2026-02-22", "2026-02-23", "2026-04-04", "2026-04-05", "2026-04-06", "2026-05-01",
    "2026-05-02", "2026-05-03", "2026-05-04", "2026-05-05", "2026-06-19", "2026-06-20", "2026-06-21", "2026-09-25",
    "2026-09-26", "2026-09-27", "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06",
    "2026-10-07",
    // 2027 (expected: New Year, Spring Festival from 6 February, Qingming, Labour Day, Dragon Boat, Mid-Autumn, National Day)
    "2027-01-01", "2027-02-05", "2027-02-06", "2027-02-07", "2027-02-08", "2027-02-09", "2027-02-10", "2027-02-11",
    "2027-04-05", "2027-05-01", "2027-05-02", "2027-05-03", "2027-05-04", "2027-05-05", "2027-06-09", "2027-09-15",
    "2027-10-01", "2027-10-02", "2027-10-03", "2027-10-04", "2027-10-05", "2027-10-06", "2027-10-07",
};

const std::set<uint16_t>& Holidays() {
    static const std::set<uint16_t> days = [] {
        std::set<uint16_t> out;
        for (const char* d : kHolidays) {
            int y, m, day;
            std::sscanf(d, "%d-%d-%d", &y, &m, &day);
            // Days since 2000-01-01 via the civil-date algorithm.
            const int yy = y - (m <= 2);
            const int era = yy / 400;
            const int yoe = yy - era * 400;
            const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + day - 1;
            const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
            out.insert(static_cast<uint16_t>(era * 146097 + doe - 719468 - 10957));
        }
        return out;
    }();
    return days;
}

}  // namespace

bool IsPublicHoliday(uint16_t day) { return Holidays().count(day) > 0; }

std::vector<SeriesForecast> ForecastDemand(const SalesColumns& c, const ForecastQuery& q) {
    std::vector<uint8_t> store_ok;
    if (!q.stores.empty()) {
        store_ok.assign(65536, 0);
        for (uint16_t s : q.stores) store_ok[s] = 1;
    }
    const int first = std::max(0, q.today - q.history_days + 1);
    const size_t days = static_cast<size_t>(q.today - first + 1);
    // Quantity per (store, item) per day of the history.
    std::map<std::pair<uint16_t, uint32_t>, std::vector<double>> series;
    for (size_t s = 0; s < c.sales(); ++s) {
        const uint16_t day = c.sale_day[s];
        if (day < first || day > q.today || (!store_ok.empty() && !store_ok[c.sale_store[s]])) continue;
        for (uint32_t l = c.sale_first_line[s], end = c.LineEnd(s); l < end; ++l) {
            uint32_t item = c.line_product[l];
            if (q.category_of) item = item < q.category_of->size() ? (*q.category_of)[item] : 0;
            auto& v = series[{c.sale_store[s], item}];
            if (v.empty()) v.assign(days, 0.0);
            v[day - first] += c.line_quantity[l];
        }
    }
    std::vector<SeriesForecast> out;
    for (const auto& [key, v] : series) {
        SeriesForecast f{key.first, key.second};
        // Each weekday's mean on normal days (holidays left out: they are the factor's business;
        // a mean, not a sum, as holidays take more of some weekdays than of others).
        std::array<double, 7> sum{}, count{}, mean{};
        for (size_t i = 0; i < days; ++i) {
            const auto day = static_cast<uint16_t>(first + i);
            if (IsPublicHoliday(day)) continue;
            sum[WeekdayOf(day) - 1] += v[i];
            count[WeekdayOf(day) - 1] += 1;
        }
        double week = 0;
        for (int w = 0; w < 7; ++w) {
            mean[w] = count[w] ? sum[w] / count[w] : 0;
            week += mean[w];
        }
        for (int w = 0; w < 7; ++w) f.weekday_share[w] = week > 0 ? mean[w] / week : 1.0 / 7;
        // Holiday factor: what past holidays sold against a normal day of the same weekday.
        double expected_on_holidays = 0, sold_on_holidays = 0;
        for (size_t i = 0; i < days; ++i) {
            const auto day = static_cast<uint16_t>(first + i);
            if (!IsPublicHoliday(day)) continue;
            expected_on_holidays += mean[WeekdayOf(day) - 1];
            sold_on_holidays += v[i];
        }
        f.holiday_factor = expected_on_holidays > 0 ? std::clamp(sold_on_holidays / expected_on_holidays, 0.2, 5.0) : 1.0;
        // The recent level: the last `level_weeks` weeks' mean weekly quantity, holidays in them
        // counted as the normal days they would have been.
        const size_t window = std::min(days, static_cast<size_t>(q.level_weeks) * 7);
        double recent = 0;
        for (size_t i = days - window; i < days; ++i) {
            recent += IsPublicHoliday(static_cast<uint16_t>(first + i)) ? v[i] / f.holiday_factor : v[i];
        }
        f.weekly_level = window ? recent / (static_cast<double>(window) / 7.0) : 0;
        for (int d = 1; d <= q.horizon_days; ++d) {
            const auto day = static_cast<uint16_t>(q.today + d);
            double qty = f.weekly_level * f.weekday_share[WeekdayOf(day) - 1];
            if (IsPublicHoliday(day)) qty *= f.holiday_factor;
            f.daily.push_back(qty);
        }
        out.push_back(std::move(f));
    }
    return out;
}

}  // namespace storecrm::analytics
