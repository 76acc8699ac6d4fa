// GET /analytics/sales (dashboard), /analytics/cohorts (retention) and /analytics/members
// (counts, churn, splits); each also as a CSV or Excel file with ?format=csv|xlsx (audited).
#include <algorithm>
#include <cmath>
#include <map>
#include <tuple>

#include <nlohmann/json.hpp>

#include "analytics/report_query.hpp"
#include "analytics/reports.hpp"
#include "analytics/routes.hpp"
#include "common/clock.hpp"
#include "common/csv.hpp"
#include "http/json_response.hpp"

namespace storecrm::analytics {
namespace {

using http::RequestContext;
using nlohmann::json;

double Round(double v, int digits) {
    const double f = std::pow(10.0, digits);
    return std::round(v * f) / f;
}

// id → name of a small table (stores, categories).
Result<std::map<int64_t, std::string>> Names(RequestContext& ctx, const char* sql) {
    auto rows = ctx.tx.Query(sql);
    if (!rows.ok()) return rows.take_error();
    std::map<int64_t, std::string> out;
    for (const auto& r : *rows) out[r.Int(0)] = r.Text(1);
    return out;
}

Result<http::Response> Sales(RequestContext& ctx) {
    auto period = ReadPeriod(ctx, 30);
    if (!period.ok()) return period.take_error();
    const int64_t started = NowUnixMillis();
    STORECRM_TRY(EnsureCurrent(ctx));
    const SalesReport r = ctx.services.analytics->Read([&](const SalesColumns& c) { return ComputeSales(c, *period); });
    const int64_t computed_ms = NowUnixMillis() - started;
    auto stores = Names(ctx, "SELECT id, name FROM stores");
    if (!stores.ok()) return stores.take_error();
    auto categories = Names(ctx, "SELECT id, name FROM product_categories");
    if (!categories.ok()) return categories.take_error();
    auto product_rows = ctx.tx.Query("SELECT id, COALESCE(category_id, 0) FROM products");
    if (!product_rows.ok()) return product_rows.take_error();
    std::map<int64_t, int64_t> category_of;
    for (const auto& p : *product_rows) category_of[p.Int(0)] = p.Int(1);

    json by_day = json::array();
    for (size_t i = 0; i < r.day_amount.size(); ++i) {
        by_day.push_back({{"date", DayText(static_cast<uint16_t>(period->from_day + i))},
                          {"amount", r.day_amount[i]},
                          {"transactions", r.day_transactions[i]}});
    }
    if (WantsExport(ctx)) {
        std::vector<CsvRow> rows = {{"date", "amount_fen", "transactions"}};
        for (const auto& d : by_day) {
            rows.push_back({d["date"].get<std::string>(), std::to_string(d["amount"].get<int64_t>()),
                            std::to_string(d["transactions"].get<int64_t>())});
        }
        return ExportRows(ctx, "sales", std::move(rows));
    }
    std::map<int64_t, std::pair<int64_t, int64_t>> per_category;
    for (const auto& [product, aq] : r.product_amount_quantity) {
        auto& cat = per_category[category_of.count(product) ? category_of[product] : 0];
        cat.first += aq.first;
        cat.second += aq.second;
    }
    json by_category = json::array();
    for (const auto& [id, aq] : per_category) {
        by_category.push_back({{"category_id", id ? json(id) : json()},
                               {"name", id && categories->count(id) ? (*categories)[id] : ""},
                               {"amount", aq.first},
                               {"quantity", aq.second}});
    }
    std::sort(by_category.begin(), by_category.end(),
              [](const json& a, const json& b) { return a["amount"].get<int64_t>() > b["amount"].get<int64_t>(); });
    json heat_amount = json::array(), heat_count = json::array();
    for (int w = 0; w < 7; ++w) {
        heat_amount.push_back(r.heat_amount[w]);
        heat_count.push_back(r.heat_transactions[w]);
    }
    json by_store = json::array();
    for (const auto& [id, s] : r.stores) {
        by_store.push_back({{"store_id", id},
                            {"store_name", stores->count(id) ? (*stores)[id] : ""},
                            {"amount", s.amount},
                            {"transactions", s.transactions},
                            {"average_order_value", s.transactions ? s.sales_amount / s.transactions : 0},
                            {"members_buying", s.members_buying}});
    }
    const double t = static_cast<double>(r.transactions);
    json totals = {
        {"amount", r.amount},
        {"transactions", r.transactions},
        {"average_order_value", r.transactions ? r.sales_amount / r.transactions : 0},
        {"items_per_basket", r.transactions ? Round(static_cast<double>(r.items) / t, 1) : 0.0},
        {"members_buying", r.members_buying},
        {"member_transactions", r.member_transactions},
        {"member_amount_share_pct",
         r.sales_amount ? Round(100.0 * static_cast<double>(r.member_sales_amount) / static_cast<double>(r.sales_amount), 1) : 0.0},
        {"purchase_frequency",
         r.members_buying ? Round(static_cast<double>(r.member_transactions) / static_cast<double>(r.members_buying), 2) : 0.0},
        {"repurchase_rate_pct",
         r.members_buying ? Round(100.0 * static_cast<double>(r.members_repeat) / static_cast<double>(r.members_buying), 1) : 0.0}};
    json hours = json::array(), weekdays = json::array();
    for (int h = 0; h < 24; ++h) hours.push_back(h);
    for (int w = 1; w <= 7; ++w) weekdays.push_back(w);
    return http::JsonOk({{"from", DayText(period->from_day)},
                         {"to", DayText(period->to_day)},
                         {"totals", totals},
                         {"by_day", by_day},
                         {"by_category", by_category},
                         {"heatmap", {{"weekdays", weekdays}, {"hours", hours}, {"amount", heat_amount}, {"transactions", heat_count}}},
                         {"by_store", by_store},
                         {"elapsed_ms", computed_ms}});
}

Result<http::Response> Cohorts(RequestContext& ctx) {
    int months = 12;
    if (auto v = ctx.request.QueryParam("months"); v && !v->empty()) {
        months = std::atoi(v->c_str());
        if (months < 1 || months > 36) return Error::Field("months", "field.out_of_range", {{"min", "1"}, {"max", "36"}});
    }
    auto period = ReadPeriod(ctx, 1);  // for the store scope; the months count back from today
    if (!period.ok()) return period.take_error();
    STORECRM_TRY(EnsureCurrent(ctx));
    const int last = MonthOf(DayOf(NowUnix()));
    const auto cohorts = ctx.services.analytics->Read(
        [&](const SalesColumns& c) { return ComputeCohorts(c, last - months + 1, last, period->stores); });
    json out = json::array();
    std::vector<CsvRow> rows = {{"month", "members"}};
    for (int k = 0; k < months; ++k) rows[0].push_back("m" + std::to_string(k));
    for (const auto& c : cohorts) {
        json pct = json::array();
        CsvRow row = {MonthText(c.month), std::to_string(c.members)};
        for (int64_t active : c.active) {
            // A month in which nobody started has no retention to show.
            if (!c.members) {
                pct.push_back(nullptr);
                row.push_back("");
                continue;
            }
            const double p = Round(100.0 * static_cast<double>(active) / static_cast<double>(c.members), 1);
            pct.push_back(p);
            char text[16];
            std::snprintf(text, sizeof text, "%.1f", p);
            row.push_back(text);
        }
        out.push_back({{"month", MonthText(c.month)}, {"members", c.members}, {"retention_pct", pct}});
        rows.push_back(std::move(row));
    }
    if (WantsExport(ctx)) return ExportRows(ctx, "cohorts", std::move(rows));
    return http::JsonOk({{"cohorts", out}});
}

Result<json> Split(RequestContext& ctx, const std::string& expr, const std::string& from, const std::string& scope,
                   const storage::Params& params) {
    auto rows = ctx.tx.Query("SELECT " + expr + " AS k, COUNT(*) FROM " + from + " WHERE m.status = 'active'" + scope +
                                 " GROUP BY k ORDER BY COUNT(*) DESC",
                             params);
    if (!rows.ok()) return rows.take_error();
    json out = json::array();
    for (const auto& r : *rows) out.push_back({{"key", r.Text(0)}, {"members", r.Int(1)}});
    return out;
}

Result<http::Response> Members(RequestContext& ctx) {
    auto period = ReadPeriod(ctx, 30);
    if (!period.ok()) return period.take_error();
    STORECRM_TRY(EnsureCurrent(ctx));
    // The period before, of the same length, for churn.
    const int length = period->to_day - period->from_day + 1;
    Period before = *period;
    before.to_day = static_cast<uint16_t>(std::max(0, period->from_day - 1));
    before.from_day = static_cast<uint16_t>(std::max(0, period->from_day - length));
    auto [now_buying, then_buying] = ctx.services.analytics->Read([&](const SalesColumns& c) {
        return std::pair{MembersBuying(c, *period), MembersBuying(c, before)};
    });
    std::vector<uint32_t> churned;
    std::set_difference(then_buying.begin(), then_buying.end(), now_buying.begin(), now_buying.end(),
                        std::back_inserter(churned));
    storage::Params params;
    const std::string scope = StoreInClause(*period, "m.home_store_id", params);
    auto counts = ctx.tx.QueryOne(
        "SELECT COUNT(*), SUM(CASE WHEN m.created_at >= ? AND m.created_at < ? THEN 1 ELSE 0 END) FROM members m "
        "WHERE m.status = 'active'" + scope,
        [&] {
            storage::Params p{DayStart(period->from_day), DayStart(period->to_day) + 86400};
            p.insert(p.end(), params.begin(), params.end());
            return p;
        }());
    if (!counts.ok()) return counts.take_error();
    const int year = 2000 + MonthOf(DayOf(NowUnix())) / 12;
    const std::string age =
        "CASE WHEN m.birth_year IS NULL THEN 'unknown' WHEN " + std::to_string(year) + " - m.birth_year < 20 THEN '<20' "
        "WHEN " + std::to_string(year) + " - m.birth_year < 30 THEN '20-29' WHEN " + std::to_string(year) +
        " - m.birth_year < 40 THEN '30-39' WHEN " + std::to_string(year) + " - m.birth_year < 50 THEN '40-49' WHEN " +
        std::to_string(year) + " - m.birth_year < 60 THEN '50-59' ELSE '60+' END";
    auto gender = Split(ctx, "m.gender", "members m", scope, params);
    if (!gender.ok()) return gender.take_error();
    auto ages = Split(ctx, age, "members m", scope, params);
    if (!ages.ok()) return ages.take_error();
    auto tiers = Split(ctx, "COALESCE(t.name, 'none')", "members m LEFT JOIN tiers t ON t.id = m.tier_id", scope, params);
    if (!tiers.ok()) return tiers.take_error();
    auto sources = Split(ctx, "m.source", "members m", scope, params);
    if (!sources.ok()) return sources.take_error();
    const int64_t active = static_cast<int64_t>(now_buying.size());
    const int64_t churn = static_cast<int64_t>(churned.size());
    json out = {{"from", DayText(period->from_day)},
                {"to", DayText(period->to_day)},
                {"total", (*counts)->Int(0)},
                {"new", (*counts)->Int(1)},
                {"active", active},
                {"churned", churn},
                {"churn_rate_pct", then_buying.empty() ? 0.0 : Round(100.0 * static_cast<double>(churn) / static_cast<double>(then_buying.size()), 1)},
                {"splits", {{"gender", *gender}, {"age", *ages}, {"tier", *tiers}, {"source", *sources}}}};
    if (WantsExport(ctx)) {
        std::vector<CsvRow> rows = {{"split", "key", "members"}};
        for (const auto& [name, list] : out["splits"].items()) {
            for (const auto& e : list) rows.push_back({name, e["key"].get<std::string>(), std::to_string(e["members"].get<int64_t>())});
        }
        return ExportRows(ctx, "members", std::move(rows));
    }
    return http::JsonOk(out);
}

// POST /analytics/rebuild: reload the columns from the database.
Result<http::Response> Rebuild(RequestContext& ctx) {
    if (!ctx.services.analytics) return Error::NotFound();
    const int64_t started = NowUnixMillis();
    STORECRM_TRY(ctx.services.analytics->Rebuild(*ctx.services.db));
    const auto counts = ctx.services.analytics->Read(
        [](const SalesColumns& c) { return std::tuple{c.sales(), c.lines(), c.Bytes()}; });
    STORECRM_TRY(ctx.Audit({"analytics.rebuild", "analytics", "", "{}"}));
    return http::JsonOk({{"receipts", std::get<0>(counts)},
                         {"lines", std::get<1>(counts)},
                         {"bytes", std::get<2>(counts)},
                         {"elapsed_ms", NowUnixMillis() - started}});
}

}  // namespace

void RegisterReportRoutes(http::Router& router) {
    // A read route: the rebuild reads the database with its own transactions.
    router.Add({.method = "POST", .pattern = "/api/v1/analytics/rebuild", .permission = "jobs.run",
                .tx = storage::TxMode::kRead, .tag = "analytics", .summary = "Reload the analysis columns from the database",
                .handler = Rebuild});
    using storage::TxMode;
    router.Add({.method = "GET", .pattern = "/api/v1/analytics/sales", .permission = "analytics.read", .tx = TxMode::kRead,
                .tag = "analytics", .summary = "Sales dashboard: totals, by day, category, weekday × hour, store",
                .handler = Sales});
    router.Add({.method = "GET", .pattern = "/api/v1/analytics/cohorts", .permission = "analytics.read",
                .tx = TxMode::kRead, .tag = "analytics", .summary = "Retention by first-purchase month (?months=12)",
                .handler = Cohorts});
    router.Add({.method = "GET", .pattern = "/api/v1/analytics/members", .permission = "analytics.read",
                .tx = TxMode::kRead, .tag = "analytics", .summary = "Members: total, new, active, churned, splits",
                .handler = Members});
}

}  // namespace storecrm::analytics
