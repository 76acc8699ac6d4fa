// GET /analytics/prediction: BG/NBD + Gamma-Gamma fitted on the history up to a calibration
// end, with the fitted parameters, their log-likelihood, a hold-out check (predicted against
// actual purchases after the calibration end) and the churn-risk list;
// GET /members/{id}/prediction: one member's chance of still being a customer, expected
// purchases and value in the next 90 days (from a model refitted at most every 10 minutes).
#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>
#include <tuple>

#include <nlohmann/json.hpp>

#include "analytics/clv.hpp"
#include "analytics/report_query.hpp"
#include "analytics/routes.hpp"
#include "common/clock.hpp"
#include "http/json_response.hpp"
#include "members/member_service.hpp"

namespace storecrm::analytics {
namespace {

using http::RequestContext;
using nlohmann::json;

constexpr size_t kFitSample = 50000;  // members the likelihood is summed over, at most
constexpr int kHorizonDays = 90;

struct History {
    uint32_t member = 0;
    Rft rft;                  // calibration summary, in the chosen unit
    double first_spend = 0;   // the first purchase day's amount
    double repeat_spend = 0;  // the other purchase days' amounts, summed
    double total_spend = 0;
    int holdout_purchases = 0;  // purchase days after the calibration end
};

// Per member: purchase days (receipts of one day count once) up to `end`, split at `calibration_end`.
std::vector<History> Histories(const SalesColumns& c, uint16_t calibration_end, uint16_t end, double unit_days,
                               const std::vector<uint16_t>& stores, uint32_t only_member = 0) {
    std::vector<uint8_t> store_ok;
    if (!stores.empty()) {
        store_ok.assign(65536, 0);
        for (uint16_t s : stores) store_ok[s] = 1;
    }
    std::vector<std::tuple<uint32_t, uint16_t, int64_t>> days;  // member, day, amount
    for (size_t s = 0; s < c.sales(); ++s) {
        const uint32_t m = c.sale_member[s];
        if (m == 0 || c.sale_refund[s] || c.sale_day[s] > end || (only_member && m != only_member)) continue;
        if (!store_ok.empty() && !store_ok[c.sale_store[s]]) continue;
        int64_t amount = 0;
        for (uint32_t l = c.sale_first_line[s], e = c.LineEnd(s); l < e; ++l) amount += c.line_amount[l];
        days.emplace_back(m, c.sale_day[s], amount);
    }
    std::sort(days.begin(), days.end());
    std::vector<History> out;
    for (size_t i = 0; i < days.size();) {
        const uint32_t m = std::get<0>(days[i]);
        History h{m};
        uint16_t first = 0, last = 0, previous = UINT16_MAX;
        int calibration_days = 0;
        for (; i < days.size() && std::get<0>(days[i]) == m; ++i) {
            const uint16_t day = std::get<1>(days[i]);
            const double amount = static_cast<double>(std::get<2>(days[i]));
            h.total_spend += amount;
            if (day > calibration_end) {
                if (day != previous && calibration_days > 0) h.holdout_purchases += 1;
                previous = day;
                continue;
            }
            if (day != previous) {
                if (calibration_days == 0) first = day;
                calibration_days += 1;
                last = day;
            }
            if (calibration_days == 1) h.first_spend += amount;
            else h.repeat_spend += amount;
            previous = day;
        }
        if (calibration_days == 0) continue;  // first bought after the calibration end
        h.rft = {static_cast<double>(calibration_days - 1), (last - first) / unit_days, (calibration_end - first) / unit_days};
        out.push_back(h);
    }
    return out;
}

struct Model {
    BgNbd bgnbd;
    GammaGamma gamma_gamma;
    size_t fitted_on = 0, gamma_members = 0;
};

Model Fit(const std::vector<History>& histories) {
    Model model;
    std::vector<Rft> sample;
    std::vector<Spend> spends;
    const size_t step = std::max<size_t>(1, histories.size() / kFitSample);
    for (size_t i = 0; i < histories.size(); i += step) {
        const History& h = histories[i];
        sample.push_back(h.rft);
        if (h.rft.x > 0 && h.repeat_spend > 0) spends.push_back({h.rft.x, h.repeat_spend / h.rft.x});
    }
    model.fitted_on = sample.size();
    model.gamma_members = spends.size();
    model.bgnbd = FitBgNbd(sample);
    if (spends.size() >= 10) model.gamma_gamma = FitGammaGamma(spends);
    return model;
}

double ExpectedValue(const Model& model, const History& h, double horizon_units) {
    const double average = h.rft.x > 0 && h.repeat_spend > 0 && model.gamma_members >= 10
                               ? ExpectedAverageValue(model.gamma_gamma, {h.rft.x, h.repeat_spend / h.rft.x})
                               : h.first_spend;
    return ExpectedPurchases(model.bgnbd, h.rft, horizon_units) * average;
}

double Round(double v, int digits) {
    const double f = std::pow(10.0, digits);
    return std::round(v * f) / f;
}

json ModelJson(const Model& m) {
    json out = {{"fitted_on", m.fitted_on},
                {"bgnbd", {{"r", Round(m.bgnbd.r, 4)}, {"alpha", Round(m.bgnbd.alpha, 4)}, {"a", Round(m.bgnbd.a, 4)},
                           {"b", Round(m.bgnbd.b, 4)}, {"log_likelihood", Round(m.bgnbd.log_likelihood, 2)},
                           {"at_bound", m.bgnbd.at_bound}}}};
    out["gamma_gamma"] = m.gamma_members >= 10
                             ? json({{"p", Round(m.gamma_gamma.p, 4)}, {"q", Round(m.gamma_gamma.q, 4)},
                                     {"gamma", Round(m.gamma_gamma.gamma, 2)},
                                     {"log_likelihood", Round(m.gamma_gamma.log_likelihood, 2)},
                                     {"members", m.gamma_members}, {"at_bound", m.gamma_gamma.at_bound}})
                             : json();
    return out;
}

Result<http::Response> Prediction(RequestContext& ctx) {
    auto period = ReadPeriod(ctx, 1);  // the store scope; `to` is today
    if (!period.ok()) return period.take_error();
    const std::string unit = ctx.request.QueryParam("unit").value_or("week");
    if (unit != "day" && unit != "week") return Error::Field("unit", "field.invalid_choice", {{"choices", "day, week"}});
    const double unit_days = unit == "week" ? 7 : 1;
    const uint16_t today = DayOf(NowUnix());
    uint16_t calibration_end = static_cast<uint16_t>(today - kHorizonDays);
    if (auto v = ctx.request.QueryParam("calibration_end"); v && !v->empty()) {
        auto at = ParseIsoDate(*v);
        if (!at || *at < kDayZero) return Error::Field("calibration_end", "field.invalid_date");
        calibration_end = DayOf(*at + 12 * 3600);
        if (calibration_end > today) return Error::Field("calibration_end", "field.date_in_future");
    }
    const int64_t started = NowUnixMillis();
    STORECRM_TRY(EnsureCurrent(ctx));
    const auto histories = ctx.services.analytics->Read(
        [&](const SalesColumns& c) { return Histories(c, calibration_end, today, unit_days, period->stores); });
    if (histories.size() < 10) return Error::Field("calibration_end", "analytics.too_little_history", {{"min", "10"}});
    const Model model = Fit(histories);
    // Hold-out: what the model expected in the days after the calibration end, against what happened.
    const double holdout_units = (today - calibration_end) / unit_days;
    const double horizon_units = kHorizonDays / unit_days;
    double predicted = 0;
    int64_t actual = 0;
    struct Risk {
        const History* h;
        double alive, purchases, value;
    };
    std::vector<Risk> risks;
    for (const auto& h : histories) {
        predicted += ExpectedPurchases(model.bgnbd, h.rft, holdout_units);
        actual += h.holdout_purchases;
        const double alive = ProbabilityAlive(model.bgnbd, h.rft);
        if (alive < 0.5 && h.rft.x > 0) {
            risks.push_back({&h, alive, ExpectedPurchases(model.bgnbd, h.rft, horizon_units), ExpectedValue(model, h, horizon_units)});
        }
    }
    // The churn-risk list: valuable members the model thinks are slipping away.
    std::sort(risks.begin(), risks.end(), [](const Risk& a, const Risk& b) { return a.h->total_spend > b.h->total_spend; });
    if (risks.size() > 50) risks.resize(50);
    json churn = json::array();
    for (const auto& r : risks) {
        auto row = ctx.tx.QueryOne("SELECT member_no, name, phone_masked FROM members WHERE id = ?", {static_cast<int64_t>(r.h->member)});
        if (!row.ok()) return row.take_error();
        churn.push_back({{"member_id", r.h->member},
                         {"member_no", row->has_value() ? (*row)->Text(0) : ""},
                         {"name", row->has_value() ? (*row)->Text(1) : ""},
                         {"phone", row->has_value() ? (*row)->Text(2) : ""},
                         {"purchases", static_cast<int64_t>(r.h->rft.x) + 1},
                         {"total_spend", static_cast<int64_t>(r.h->total_spend)},
                         {"p_alive", Round(r.alive, 3)},
                         {"expected_purchases_90d", Round(r.purchases, 2)},
                         {"expected_value_90d", static_cast<int64_t>(std::round(r.value))}});
    }
    json out = ModelJson(model);
    out["unit"] = unit;
    out["calibration_end"] = DayText(calibration_end);
    out["holdout_days"] = today - calibration_end;
    out["members"] = histories.size();
    out["holdout"] = {{"predicted", Round(predicted, 1)}, {"actual", actual}};
    out["churn_risk"] = churn;
    out["elapsed_ms"] = NowUnixMillis() - started;
    return http::JsonOk(out);
}

// The chain-wide model with today as the calibration end, refitted at most every 10 minutes.
Result<Model> CurrentModel(RequestContext& ctx) {
    static std::mutex mutex;
    static Model cached;
    static int64_t fitted_at = 0;
    std::lock_guard lock(mutex);
    if (fitted_at && NowUnix() - fitted_at < 600) return cached;
    STORECRM_TRY(EnsureCurrent(ctx));
    const uint16_t today = DayOf(NowUnix());
    const auto histories =
        ctx.services.analytics->Read([&](const SalesColumns& c) { return Histories(c, today, today, 7, {}); });
    if (histories.size() < 10) return Error::NotFound();
    cached = Fit(histories);
    fitted_at = NowUnix();
    return cached;
}

Result<http::Response> MemberPrediction(RequestContext& ctx) {
    auto member = members::LoadPathMember(ctx);
    if (!member.ok()) return member.take_error();
    auto model = CurrentModel(ctx);
    if (!model.ok()) return http::JsonOk({{"available", false}});
    const uint16_t today = DayOf(NowUnix());
    const auto mine = ctx.services.analytics->Read([&](const SalesColumns& c) {
        return Histories(c, today, today, 7, {}, static_cast<uint32_t>(member->id));
    });
    if (mine.empty()) return http::JsonOk({{"available", false}, {"reason", "no_purchases"}});
    const History& h = mine.front();
    const double horizon = kHorizonDays / 7.0;
    return http::JsonOk({{"available", true},
                         {"p_alive", Round(ProbabilityAlive(model->bgnbd, h.rft), 3)},
                         {"expected_purchases_90d", Round(ExpectedPurchases(model->bgnbd, h.rft, horizon), 2)},
                         {"expected_value_90d", static_cast<int64_t>(std::round(ExpectedValue(*model, h, horizon)))},
                         {"purchases", static_cast<int64_t>(h.rft.x) + 1},
                         {"model", ModelJson(*model)}});
}

}  // namespace

void RegisterPredictionRoutes(http::Router& router) {
    using storage::TxMode;
    router.Add({.method = "GET", .pattern = "/api/v1/analytics/prediction", .permission = "analytics.read",
                .tx = TxMode::kRead, .tag = "analytics",
                .summary = "BG/NBD + Gamma-Gamma: parameters, log-likelihood, hold-out check, churn risk "
                           "(?calibration_end&unit=day|week)",
                .handler = Prediction});
    router.Add({.method = "GET", .pattern = "/api/v1/members/{id}/prediction", .permission = "members.read",
                .tx = TxMode::kRead, .tag = "analytics",
                .summary = "A member's chance of being active, expected purchases and value in 90 days",
                .handler = MemberPrediction});
}

}  // namespace storecrm::analytics
