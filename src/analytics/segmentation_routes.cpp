// GET /analytics/correlation: member attributes against behaviour, Pearson and Spearman;
// GET /analytics/clusters: k-means on standardised log-RFM (plus chosen features), k suggested
// by silhouette, each cluster described in numbers and words.
#include <cmath>
#include <limits>
#include <map>

#include <nlohmann/json.hpp>

#include "analytics/clusters.hpp"
#include "analytics/member_features.hpp"
#include "analytics/report_query.hpp"
#include "analytics/routes.hpp"
#include "analytics/stats.hpp"
#include "common/clock.hpp"
#include "http/json_response.hpp"

namespace storecrm::analytics {
namespace {

using http::RequestContext;
using nlohmann::json;

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

struct Table {
    std::vector<int64_t> member_ids;  // row → member
    std::vector<std::string> names;
    std::vector<std::vector<double>> columns;  // NaN: unknown (an age not given)
    size_t rows = 0;
};

// The period's buying members with their behaviour, age and tenure.
Result<Table> LoadTable(RequestContext& ctx, const Period& period) {
    std::vector<uint32_t> category_of;
    auto products = ctx.tx.Query("SELECT id, COALESCE(category_id, 0) FROM products");
    if (!products.ok()) return products.take_error();
    for (const auto& p : *products) {
        const auto id = static_cast<size_t>(p.Int(0));
        if (category_of.size() <= id) category_of.resize(id + 1, 0);
        category_of[id] = static_cast<uint32_t>(p.Int(1));
    }
    STORECRM_TRY(EnsureCurrent(ctx));
    const MemberFeatures f = ctx.services.analytics->Read(
        [&](const SalesColumns& c) { return ComputeMemberFeatures(c, period, category_of); });
    std::map<int64_t, std::pair<double, double>> attributes;  // id → age, tenure days
    auto rows = ctx.tx.Query("SELECT id, birth_year, created_at FROM members WHERE status = 'active'");
    if (!rows.ok()) return rows.take_error();
    const int year = std::stoi(FormatIsoUtc(NowUnix()).substr(0, 4));
    const double end = static_cast<double>(DayStart(period.to_day) + 86400);
    for (const auto& r : *rows) {
        attributes[r.Int(0)] = {r.IsNull(1) ? kMissing : static_cast<double>(year - r.Int(1)),
                                std::max(0.0, (end - static_cast<double>(r.Int(2))) / 86400.0)};
    }
    Table t;
    t.names = {"age", "tenure_days", "recency_days", "frequency", "average_order_value", "monetary", "category_breadth"};
    t.columns.assign(t.names.size(), {});
    for (size_t i = 0; i < f.member.size(); ++i) {
        auto a = attributes.find(f.member[i]);
        if (a == attributes.end()) continue;  // archived or merged since
        const double values[] = {a->second.first, a->second.second, f.recency_days[i], f.frequency[i],
                                 f.average_order_value[i], f.monetary[i], f.category_breadth[i]};
        for (size_t c = 0; c < t.names.size(); ++c) t.columns[c].push_back(values[c]);
        t.member_ids.push_back(f.member[i]);
    }
    t.rows = t.columns[0].size();
    return t;
}

json Rounded(std::optional<double> v) { return v ? json(std::round(*v * 1000) / 1000) : json(); }

Result<http::Response> Correlation(RequestContext& ctx) {
    auto period = ReadPeriod(ctx, 365);
    if (!period.ok()) return period.take_error();
    auto table = LoadTable(ctx, *period);
    if (!table.ok()) return table.take_error();
    const size_t v = table->names.size();
    json pearson = json::array(), spearman = json::array(), pairs = json::array();
    for (size_t a = 0; a < v; ++a) {
        json prow = json::array(), srow = json::array(), nrow = json::array();
        for (size_t b = 0; b < v; ++b) {
            // Pairwise complete: a member without an age counts for the other variables.
            std::vector<double> x, y;
            for (size_t r = 0; r < table->rows; ++r) {
                const double xv = table->columns[a][r], yv = table->columns[b][r];
                if (std::isnan(xv) || std::isnan(yv)) continue;
                x.push_back(xv);
                y.push_back(yv);
            }
            prow.push_back(Rounded(Pearson(x, y)));
            srow.push_back(Rounded(Spearman(x, y)));
            nrow.push_back(x.size());
        }
        pearson.push_back(prow);
        spearman.push_back(srow);
        pairs.push_back(nrow);
    }
    return http::JsonOk({{"from", DayText(period->from_day)},
                         {"to", DayText(period->to_day)},
                         {"members", table->rows},
                         {"variables", table->names},
                         {"pearson", pearson},
                         {"spearman", spearman},
                         {"pairs", pairs}});
}

// The words for a cluster: where its mean sits against everyone's.
json Describe(double recency, double frequency, double monetary, double all_r, double all_f, double all_m) {
    const bool recent = recency <= all_r, frequent = frequency >= all_f, spends = monetary >= all_m;
    std::string zh = std::string(recent ? "近期活跃" : "久未到店") + "·" + (frequent ? "高频" : "低频") + "·" +
                     (spends ? "高消费" : "低消费");
    std::string en = std::string(recent ? "recently active" : "lapsing") + ", " + (frequent ? "frequent" : "infrequent") +
                     ", " + (spends ? "high spend" : "low spend");
    return {{"zh", zh}, {"en", en}};
}

}  // namespace

Result<ClusterRun> RunClusters(RequestContext& ctx) {
    auto period = ReadPeriod(ctx, 365);
    if (!period.ok()) return period.take_error();
    const std::string k_text = ctx.request.QueryParam("k").value_or("auto");
    int wanted_k = 0;
    if (k_text != "auto") {
        wanted_k = std::atoi(k_text.c_str());
        if (wanted_k < 2 || wanted_k > 8) return Error::Field("k", "field.out_of_range", {{"min", "2"}, {"max", "8"}});
    }
    // Features beyond log-RFM the user may add.
    std::vector<std::string> extra;
    if (auto v = ctx.request.QueryParam("features"); v && !v->empty()) {
        size_t start = 0;
        while (start <= v->size()) {
            size_t end = v->find(',', start);
            if (end == std::string::npos) end = v->size();
            const std::string name = v->substr(start, end - start);
            if (name != "age" && name != "tenure_days" && name != "average_order_value" && name != "category_breadth") {
                return Error::Field("features", "field.invalid_choice",
                                    {{"choices", "age, tenure_days, average_order_value, category_breadth"}});
            }
            extra.push_back(name);
            start = end + 1;
        }
    }
    auto table = LoadTable(ctx, *period);
    if (!table.ok()) return table.take_error();
    auto column = [&](const std::string& name) -> const std::vector<double>& {
        for (size_t i = 0; i < table->names.size(); ++i) {
            if (table->names[i] == name) return table->columns[i];
        }
        return table->columns[0];
    };
    // Rows used: members with every chosen feature known.
    std::vector<size_t> used;
    for (size_t r = 0; r < table->rows; ++r) {
        bool ok = true;
        for (const auto& name : extra) ok &= !std::isnan(column(name)[r]);
        if (ok) used.push_back(r);
    }
    const size_t dims = 3 + extra.size();
    if (used.size() < 10) return Error::Field("from", "analytics.too_few_members", {{"min", "10"}});
    std::vector<double> points;
    points.reserve(used.size() * dims);
    for (size_t r : used) {
        points.push_back(std::log1p(column("recency_days")[r]));
        points.push_back(std::log1p(column("frequency")[r]));
        points.push_back(std::log1p(std::max(0.0, column("monetary")[r])));
        for (const auto& name : extra) points.push_back(name == "age" ? column(name)[r] : std::log1p(std::max(0.0, column(name)[r])));
    }
    Standardise(points, dims);
    json scores = json::array();
    KMeans best;
    size_t best_k = 0;
    double best_score = -2;
    for (int k = wanted_k ? wanted_k : 2; k <= (wanted_k ? wanted_k : 8); ++k) {
        KMeans run = RunKMeans(points, dims, static_cast<size_t>(k), 20261128);
        const double score = Silhouette(points, dims, run.assignment, static_cast<size_t>(k));
        scores.push_back({{"k", k}, {"silhouette", std::round(score * 1000) / 1000}});
        if (score > best_score) {
            best_score = score;
            best_k = static_cast<size_t>(k);
            best = std::move(run);
        }
    }
    // Profiles in the original units.
    const std::vector<std::string> shown = {"recency_days", "frequency", "monetary", "average_order_value",
                                            "category_breadth", "age", "tenure_days"};
    std::vector<std::map<std::string, std::pair<double, size_t>>> sums(best_k);
    std::vector<size_t> sizes(best_k, 0);
    std::map<std::string, std::pair<double, size_t>> overall;
    for (size_t i = 0; i < used.size(); ++i) {
        const uint32_t c = best.assignment[i];
        sizes[c] += 1;
        for (const auto& name : shown) {
            const double v = column(name)[used[i]];
            if (std::isnan(v)) continue;
            sums[c][name].first += v;
            sums[c][name].second += 1;
            overall[name].first += v;
            overall[name].second += 1;
        }
    }
    auto mean = [](const std::pair<double, size_t>& p) { return p.second ? p.first / static_cast<double>(p.second) : 0.0; };
    json clusters = json::array();
    for (size_t c = 0; c < best_k; ++c) {
        json means = json::object();
        for (const auto& name : shown) means[name] = std::round(mean(sums[c][name]) * 10) / 10;
        clusters.push_back({{"id", c + 1},
                            {"size", sizes[c]},
                            {"share_pct", std::round(1000.0 * static_cast<double>(sizes[c]) / static_cast<double>(used.size())) / 10},
                            {"mean", means},
                            {"label", Describe(mean(sums[c]["recency_days"]), mean(sums[c]["frequency"]),
                                               mean(sums[c]["monetary"]), mean(overall["recency_days"]),
                                               mean(overall["frequency"]), mean(overall["monetary"]))}});
    }
    std::sort(clusters.begin(), clusters.end(), [](const json& a, const json& b) { return a["size"] > b["size"]; });
    ClusterRun run;
    for (size_t i = 0; i < used.size(); ++i) {
        run.members[static_cast<int64_t>(best.assignment[i]) + 1].push_back(table->member_ids[used[i]]);
    }
    run.answer = json{{"from", DayText(period->from_day)},
                         {"to", DayText(period->to_day)},
                         {"members", used.size()},
                         {"features", [&] {
                              json f = json::array({"log_recency", "log_frequency", "log_monetary"});
                              for (const auto& e : extra) f.push_back(e);
                              return f;
                          }()},
                         {"k", best_k},
                         {"suggested_by", wanted_k ? "user" : "silhouette"},
                         {"silhouette", scores},
                         {"clusters", clusters}};
    return run;
}

namespace {

Result<http::Response> Clusters(RequestContext& ctx) {
    auto run = RunClusters(ctx);
    if (!run.ok()) return run.take_error();
    return http::JsonOk(run->answer);
}

}  // namespace

void RegisterSegmentationRoutes(http::Router& router) {
    using storage::TxMode;
    router.Add({.method = "GET", .pattern = "/api/v1/analytics/correlation", .permission = "analytics.read",
                .tx = TxMode::kRead, .tag = "analytics",
                .summary = "Member attributes against behaviour: Pearson and Spearman matrices", .handler = Correlation});
    router.Add({.method = "GET", .pattern = "/api/v1/analytics/clusters", .permission = "analytics.read",
                .tx = TxMode::kRead, .tag = "analytics",
                .summary = "k-means on log-RFM (+features), k by silhouette, cluster profiles", .handler = Clusters});
}

}  // namespace storecrm::analytics
