// GET /analytics/baskets: association rules between products or categories, with the
// thresholds chosen by the user; every rule found is counted, paged and exportable.
#include <algorithm>
#include <cmath>
#include <map>

#include <nlohmann/json.hpp>

#include "analytics/baskets.hpp"
#include "analytics/next_best.hpp"
#include "analytics/report_query.hpp"
#include "analytics/routes.hpp"
#include "common/clock.hpp"
#include "common/csv.hpp"
#include "http/json_response.hpp"
#include "http/paging.hpp"
#include "members/member_service.hpp"

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

// The catalogue: names for products or categories, and each product's category.
struct Catalogue {
    std::map<int64_t, std::string> names;
    std::vector<uint32_t> category_of;
};

Result<Catalogue> LoadCatalogue(RequestContext& ctx, bool categories) {
    Catalogue out;
    auto products = ctx.tx.Query("SELECT id, name, COALESCE(category_id, 0) FROM products");
    if (!products.ok()) return products.take_error();
    for (const auto& p : *products) {
        if (!categories) out.names[p.Int(0)] = p.Text(1);
        const auto id = static_cast<size_t>(p.Int(0));
        if (out.category_of.size() <= id) out.category_of.resize(id + 1, 0);
        out.category_of[id] = static_cast<uint32_t>(p.Int(2));
    }
    if (categories) {
        auto cats = ctx.tx.Query("SELECT id, name FROM product_categories");
        if (!cats.ok()) return cats.take_error();
        for (const auto& r : *cats) out.names[r.Int(0)] = r.Text(1);
    }
    return out;
}

// What both rule reports read alike: the level, support and confidence, and the page.
struct MiningParams {
    std::string level;
    double min_support = 0, min_confidence = 0;
    http::Page page;
};

Result<MiningParams> ReadMiningParams(RequestContext& ctx) {
    MiningParams m;
    auto support = Fraction(ctx, "min_support", 0.01, 0.0001, 1);
    if (!support.ok()) return support.take_error();
    auto confidence = Fraction(ctx, "min_confidence", 0.1, 0, 1);
    if (!confidence.ok()) return confidence.take_error();
    m.min_support = *support;
    m.min_confidence = *confidence;
    m.level = ctx.request.QueryParam("level").value_or("product");
    if (m.level != "product" && m.level != "category") {
        return Error::Field("level", "field.invalid_choice", {{"choices", "product, category"}});
    }
    auto page = http::ReadPage(ctx.request, 50, 500);
    if (!page.ok()) return page.take_error();
    m.page = *page;
    return m;
}

Result<http::Response> Baskets(RequestContext& ctx) {
    auto period = ReadPeriod(ctx, 90);
    if (!period.ok()) return period.take_error();
    auto params = ReadMiningParams(ctx);
    if (!params.ok()) return params.take_error();
    auto lift = Fraction(ctx, "min_lift", 1.0, 0, 1000);
    if (!lift.ok()) return lift.take_error();
    auto length = Fraction(ctx, "max_length", 2, 2, 3);
    if (!length.ok()) return length.take_error();
    BasketQuery q{.period = *period, .min_support = params->min_support, .min_confidence = params->min_confidence,
                  .min_lift = *lift, .max_length = static_cast<int>(*length)};
    const std::string& level = params->level;
    const http::Page& page = params->page;

    auto catalogue = LoadCatalogue(ctx, level == "category");
    if (!catalogue.ok()) return catalogue.take_error();
    auto& names = catalogue->names;
    if (level == "category") q.item_of = &catalogue->category_of;
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
    const size_t end = std::min(result.rules.size(), static_cast<size_t>(page.offset + page.limit));
    for (size_t i = static_cast<size_t>(page.offset); i < end; ++i) {
        const Rule& r = result.rules[i];
        json left = json::array();
        for (uint32_t a : r.antecedent) left.push_back(item(a));
        items.push_back({{"antecedent", left}, {"consequent", item(r.consequent)}, {"baskets", r.count},
                         {"support", Round(r.support, 4)}, {"confidence", Round(r.confidence, 4)},
                         {"lift", Round(r.lift, 3)}});
    }
    const std::string next = page.NextCursor(total);
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

// GET /analytics/sequences: "bought X, then Y within N days".
Result<http::Response> Sequences(RequestContext& ctx) {
    auto period = ReadPeriod(ctx, 365);
    if (!period.ok()) return period.take_error();
    auto params = ReadMiningParams(ctx);
    if (!params.ok()) return params.take_error();
    auto within = Fraction(ctx, "within_days", 90, 1, 730);
    if (!within.ok()) return within.take_error();
    SequenceQuery q{.period = *period, .within_days = static_cast<int>(*within), .min_support = params->min_support,
                    .min_confidence = params->min_confidence};
    const std::string& level = params->level;
    const http::Page& page = params->page;
    auto catalogue = LoadCatalogue(ctx, level == "category");
    if (!catalogue.ok()) return catalogue.take_error();
    if (level == "category") q.item_of = &catalogue->category_of;
    STORECRM_TRY(EnsureCurrent(ctx));
    const SequenceResult result = ctx.services.analytics->Read([&](const SalesColumns& c) { return MineSequences(c, q); });
    auto& names = catalogue->names;
    auto item = [&](uint32_t id) { return json{{"id", id}, {"name", names.count(id) ? names[id] : ""}}; };
    const auto total = static_cast<int64_t>(result.rules.size());
    json items = json::array();
    const size_t end = std::min(result.rules.size(), static_cast<size_t>(page.offset + page.limit));
    for (size_t i = static_cast<size_t>(page.offset); i < end; ++i) {
        const SequenceRule& r = result.rules[i];
        items.push_back({{"first", item(r.first)}, {"then", item(r.then)}, {"members", r.members},
                         {"support", Round(r.support, 4)}, {"confidence", Round(r.confidence, 4)}, {"lift", Round(r.lift, 3)}});
    }
    const std::string next = page.NextCursor(total);
    return http::JsonOk({{"level", level}, {"within_days", q.within_days}, {"members", result.members}, {"total", total},
                         {"items", items}, {"next_cursor", next.empty() ? json() : json(next)}});
}

// GET /members/{id}/next-best-products: from the product rules of the last 12 months
// (recomputed at most every 10 minutes), what this member is likely to want next.
Result<http::Response> NextBestProducts(RequestContext& ctx) {
    auto member = members::LoadPathMember(ctx);
    if (!member.ok()) return member.take_error();
    auto rules = NextBestRules(*ctx.services.analytics, *ctx.services.db);
    if (!rules.ok()) return rules.take_error();
    const uint32_t id = static_cast<uint32_t>(member->id);
    auto bought = ItemsBought(*ctx.services.analytics, {id});
    auto catalogue = LoadCatalogue(ctx, false);
    if (!catalogue.ok()) return catalogue.take_error();
    auto& names = catalogue->names;
    json items = json::array();
    for (const auto& s : NextBestItems(*rules, bought[id], 5)) {
        items.push_back({{"product", {{"id", s.item}, {"name", names.count(s.item) ? names[s.item] : ""}}},
                         {"score", Round(s.score, 3)},
                         {"because", {{"id", s.because}, {"name", names.count(s.because) ? names[s.because] : ""}}}});
    }
    return http::JsonOk({{"items", items}});
}

}  // namespace

void RegisterBasketRoutes(http::Router& router) {
    router.Add({.method = "GET", .pattern = "/api/v1/analytics/baskets", .permission = "analytics.read",
                .tx = storage::TxMode::kRead, .tag = "analytics",
                .summary = "Association rules (?level=product|category&min_support&min_confidence&min_lift&max_length)",
                .handler = Baskets});
    router.Add({.method = "GET", .pattern = "/api/v1/analytics/sequences", .permission = "analytics.read",
                .tx = storage::TxMode::kRead, .tag = "analytics",
                .summary = "Sequential rules: bought X, then Y within N days (?within_days&min_support&min_confidence)",
                .handler = Sequences});
    router.Add({.method = "GET", .pattern = "/api/v1/members/{id}/next-best-products", .permission = "members.read",
                .tx = storage::TxMode::kRead, .tag = "analytics",
                .summary = "Products this member is likely to want next, from the basket rules", .handler = NextBestProducts});
}

}  // namespace storecrm::analytics
