// GET /analytics/baskets: association rules between products or categories, with the
// thresholds chosen by the user; every rule found is counted, paged and exportable.
#include <algorithm>
#include <cmath>
#include <map>

#include <nlohmann/json.hpp>

#include "analytics/baskets.hpp"
#include "analytics/report_query.hpp"
#include "analytics/routes.hpp"
#include "common/clock.hpp"
#include "common/csv.hpp"
#include "http/json_response.hpp"
#include "http/paging.hpp"

namespace storecrm::analytics {
namespace {

using http::RequestContext;
using nlohmann::json;

Result<double> Fraction(RequestContext& ctx, const char* name, double fallback, double min, double max) {
    auto v = ctx.request.QueryParam(name);
    if (!v || v->empty()) return fallback;
    char* end = nullptr;
    const double d = std::strtod(v->c_str(), &end);
    if (!end || *end || !std::isfinite(d) || d < min || d > max) {
        char lo[32], hi[32];
        std::snprintf(lo, sizeof lo, "%g", min);
        std::snprintf(hi, sizeof hi, "%g", max);
        return Error::Field(name, "field.out_of_range", {{"min", lo}, {"max", hi}});
    }
    return d;
}

double Round(double v, int digits) {
    const double f = std::pow(10.0, digits);
    return std::round(v * f) / f;
}

Result<http::Response> Baskets(RequestContext& ctx) {
    auto period = ReadPeriod(ctx, 90);
    if (!period.ok()) return period.take_error();
    BasketQuery q{.period = *period};
    auto support = Fraction(ctx, "min_support", 0.01, 0.0001, 1);
    if (!support.ok()) return support.take_error();
    auto confidence = Fraction(ctx, "min_confidence", 0.1, 0, 1);
    if (!confidence.ok()) return confidence.take_error();
    auto lift = Fraction(ctx, "min_lift", 1.0, 0, 1000);
    if (!lift.ok()) return lift.take_error();
    auto length = Fraction(ctx, "max_length", 2, 2, 3);
    if (!length.ok()) return length.take_error();
    q.min_support = *support;
    q.min_confidence = *confidence;
    q.min_lift = *lift;
    q.max_length = static_cast<int>(*length);
    const std::string level = ctx.request.QueryParam("level").value_or("product");
    if (level != "product" && level != "category") {
        return Error::Field("level", "field.invalid_choice", {{"choices", "product, category"}});
    }
    auto page = http::ReadPage(ctx.request, 50, 500);
    if (!page.ok()) return page.take_error();

    // Names (and, for categories, each product's category) from the catalogue.
    std::map<int64_t, std::string> names;
    std::vector<uint32_t> category_of;
    auto products = ctx.tx.Query("SELECT id, name, COALESCE(category_id, 0) FROM products");
    if (!products.ok()) return products.take_error();
    for (const auto& p : *products) {
        if (level == "product") names[p.Int(0)] = p.Text(1);
        const auto id = static_cast<size_t>(p.Int(0));
        if (category_of.size() <= id) category_of.resize(id + 1, 0);
        category_of[id] = static_cast<uint32_t>(p.Int(2));
    }
    if (level == "category") {
        auto cats = ctx.tx.Query("SELECT id, name FROM product_categories");
        if (!cats.ok()) return cats.take_error();
        for (const auto& r : *cats) names[r.Int(0)] = r.Text(1);
        q.item_of = &category_of;
    }
    const int64_t started = NowUnixMillis();
    STORECRM_TRY(EnsureCurrent(ctx));
    const BasketResult result = ctx.services.analytics->Read([&](const SalesColumns& c) { return MineBaskets(c, q); });
    const int64_t elapsed = NowUnixMillis() - started;
    auto item = [&](uint32_t id) { return json{{"id", id}, {"name", names.count(id) ? names[id] : ""}}; };
    const auto total = static_cast<int64_t>(result.rules.size());
    if (WantsExport(ctx)) {
        std::vector<CsvRow> rows = {{"antecedent", "consequent", "baskets", "support", "confidence", "lift"}};
        for (const auto& r : result.rules) {
            std::string left;
            for (uint32_t a : r.antecedent) left += (left.empty() ? "" : " + ") + (names.count(a) ? names[a] : std::to_string(a));
            char s[32], cf[32], lf[32];
            std::snprintf(s, sizeof s, "%.4f", r.support);
            std::snprintf(cf, sizeof cf, "%.4f", r.confidence);
            std::snprintf(lf, sizeof lf, "%.3f", r.lift);
            rows.push_back({left, names.count(r.consequent) ? names[r.consequent] : std::to_string(r.consequent),
                            std::to_string(r.count), s, cf, lf});
        }
        return ExportRows(ctx, "basket-rules", rows);
    }
    json items = json::array();
    const size_t end = std::min(result.rules.size(), static_cast<size_t>(page->offset + page->limit));
    for (size_t i = static_cast<size_t>(page->offset); i < end; ++i) {
        const Rule& r = result.rules[i];
        json left = json::array();
        for (uint32_t a : r.antecedent) left.push_back(item(a));
        items.push_back({{"antecedent", left}, {"consequent", item(r.consequent)}, {"baskets", r.count},
                         {"support", Round(r.support, 4)}, {"confidence", Round(r.confidence, 4)},
                         {"lift", Round(r.lift, 3)}});
    }
    const std::string next = page->NextCursor(total);
    return http::JsonOk({{"from", DayText(period->from_day)},
                         {"to", DayText(period->to_day)},
                         {"level", level},
                         {"baskets", result.baskets},
                         {"frequent_items", result.frequent_items},
                         {"total", total},
                         {"items", items},
                         {"next_cursor", next.empty() ? json() : json(next)},
                         {"elapsed_ms", elapsed}});
}

}  // namespace

void RegisterBasketRoutes(http::Router& router) {
    router.Add({.method = "GET", .pattern = "/api/v1/analytics/baskets", .permission = "analytics.read",
                .tx = storage::TxMode::kRead, .tag = "analytics",
                .summary = "Association rules (?level=product|category&min_support&min_confidence&min_lift&max_length)",
                .handler = Baskets});
}

}  // namespace storecrm::analytics
