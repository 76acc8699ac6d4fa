// GET /analytics/forecast: the next weeks' demand per store and category (or product), with
// stock alerts where the forecast is more than the store holds.
#include <cmath>
#include <map>

#include <nlohmann/json.hpp>

#include "analytics/forecast.hpp"
#include "analytics/report_query.hpp"
#include "analytics/routes.hpp"
#include "common/clock.hpp"
#include "http/json_response.hpp"

namespace storecrm::analytics {
namespace {

using http::RequestContext;
using nlohmann::json;

Result<http::Response> Forecast(RequestContext& ctx) {
    auto period = ReadPeriod(ctx, 1);  // for the store scope
    if (!period.ok()) return period.take_error();
    int weeks = 4;
    if (auto v = ctx.request.QueryParam("weeks"); v && !v->empty()) {
        weeks = std::atoi(v->c_str());
        if (weeks < 1 || weeks > 12) return Error::Field("weeks", "field.out_of_range", {{"min", "1"}, {"max", "12"}});
    }
    const std::string level = ctx.request.QueryParam("level").value_or("category");
    if (level != "product" && level != "category") {
        return Error::Field("level", "field.invalid_choice", {{"choices", "product, category"}});
    }
    std::vector<uint32_t> category_of;
    std::map<int64_t, std::string> names;
    auto products = ctx.tx.Query("SELECT id, name, COALESCE(category_id, 0) FROM products");
    if (!products.ok()) return products.take_error();
    for (const auto& p : *products) {
        const auto id = static_cast<size_t>(p.Int(0));
        if (category_of.size() <= id) category_of.resize(id + 1, 0);
        category_of[id] = static_cast<uint32_t>(p.Int(2));
        if (level == "product") names[p.Int(0)] = p.Text(1);
    }
    if (level == "category") {
        auto cats = ctx.tx.Query("SELECT id, name FROM product_categories");
        if (!cats.ok()) return cats.take_error();
        for (const auto& r : *cats) names[r.Int(0)] = r.Text(1);
    }
    std::map<int64_t, std::string> stores;
    auto store_rows = ctx.tx.Query("SELECT id, name FROM stores");
    if (!store_rows.ok()) return store_rows.take_error();
    for (const auto& r : *store_rows) stores[r.Int(0)] = r.Text(1);
    // Stock per store and item (a category's is the sum of its products').
    std::map<std::pair<int64_t, int64_t>, int64_t> stock;
    auto stock_rows = ctx.tx.Query("SELECT s.store_id, s.product_id, s.quantity FROM stock s");
    if (!stock_rows.ok()) return stock_rows.take_error();
    for (const auto& r : *stock_rows) {
        const int64_t item = level == "product" ? r.Int(1)
                             : static_cast<size_t>(r.Int(1)) < category_of.size() ? category_of[static_cast<size_t>(r.Int(1))]
                                                                                  : 0;
        stock[{r.Int(0), item}] += r.Int(2);
    }
    ForecastQuery q{.today = DayOf(NowUnix()), .horizon_days = weeks * 7, .stores = period->stores,
                    .category_of = level == "category" ? &category_of : nullptr};
    STORECRM_TRY(EnsureCurrent(ctx));
    const auto forecasts = ctx.services.analytics->Read([&](const SalesColumns& c) { return ForecastDemand(c, q); });
    json series = json::array(), alerts = json::array();
    for (const auto& f : forecasts) {
        json weeks_json = json::array();
        double total = 0;
        for (int w = 0; w < weeks; ++w) {
            double sum = 0;
            for (int d = 0; d < 7; ++d) sum += f.daily[static_cast<size_t>(w * 7 + d)];
            total += sum;
            weeks_json.push_back({{"week_start", DayText(static_cast<uint16_t>(q.today + 1 + w * 7))},
                                  {"quantity", std::round(sum * 10) / 10}});
        }
        bool holidays = false;
        for (int d = 1; d <= q.horizon_days; ++d) holidays |= IsPublicHoliday(static_cast<uint16_t>(q.today + d));
        const int64_t have = stock.count({f.store, f.item}) ? stock[{f.store, f.item}] : 0;
        json one = {{"store_id", f.store},
                    {"store_name", stores.count(f.store) ? stores[f.store] : ""},
                    {"item_id", f.item},
                    {"name", names.count(f.item) ? names[f.item] : ""},
                    {"weekly_level", std::round(f.weekly_level * 10) / 10},
                    {"holiday_factor", std::round(f.holiday_factor * 100) / 100},
                    {"holidays_ahead", holidays},
                    {"weeks", weeks_json},
                    {"total", std::round(total * 10) / 10},
                    {"stock", have}};
        total = one["total"].get<double>();  // the figure shown, so "short by" agrees with it
        if (total > static_cast<double>(have) && total >= 1) {
            alerts.push_back({{"store_id", f.store}, {"store_name", one["store_name"]}, {"item_id", f.item},
                              {"name", one["name"]}, {"forecast", one["total"]}, {"stock", have},
                              {"short_by", std::ceil(total - static_cast<double>(have))}});
        }
        series.push_back(std::move(one));
    }
    std::sort(series.begin(), series.end(), [](const json& a, const json& b) { return a["total"] > b["total"]; });
    std::sort(alerts.begin(), alerts.end(), [](const json& a, const json& b) { return a["short_by"] > b["short_by"]; });
    return http::JsonOk({{"level", level},
                         {"from", DayText(static_cast<uint16_t>(q.today + 1))},
                         {"to", DayText(static_cast<uint16_t>(q.today + q.horizon_days))},
                         {"series", series},
                         {"alerts", alerts}});
}

}  // namespace

void RegisterForecastRoutes(http::Router& router) {
    router.Add({.method = "GET", .pattern = "/api/v1/analytics/forecast", .permission = "analytics.read",
                .tx = storage::TxMode::kRead, .tag = "analytics",
                .summary = "Demand for the next weeks per store and category, with stock alerts (?weeks=4&level)",
                .handler = Forecast});
}

}  // namespace storecrm::analytics
