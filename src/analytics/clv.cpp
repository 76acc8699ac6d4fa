#include "analytics/clv.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

namespace storecrm::analytics {
namespace {

double LogBeta(double a, double b) { return std::lgamma(a) + std::lgamma(b) - std::lgamma(a + b); }

double LogSumExp(double a, double b) {
    if (a == -std::numeric_limits<double>::infinity()) return b;
    if (b == -std::numeric_limits<double>::infinity()) return a;
    const double m = std::max(a, b);
    return m + std::log(std::exp(a - m) + std::exp(b - m));
}

constexpr double kBad = 1e300;
// Parameters live in [e^-12, e^12]: with little or very regular history the likelihood keeps
// rising towards a boundary (r, α → ∞ is a Poisson process without heterogeneity); stopping
// there keeps the numbers finite, and the fit reports that it stopped at the bound.
constexpr double kLogBound = 12;

bool InBounds(const std::vector<double>& logs) {
    for (double v : logs) {
        if (!(std::fabs(v) <= kLogBound)) return false;
    }
    return true;
}

bool AtBound(const std::vector<double>& logs) {
    for (double v : logs) {
        if (std::fabs(v) > kLogBound - 0.05) return true;
    }
    return false;
}

}  // namespace

std::vector<double> NelderMead(const std::function<double(const std::vector<double>&)>& f, std::vector<double> start,
                               double step, int max_evaluations, double tolerance) {
    const size_t n = start.size();
    std::vector<std::vector<double>> simplex(n + 1, start);
    for (size_t i = 0; i < n; ++i) simplex[i + 1][i] += step;
    std::vector<double> values(n + 1);
    int evaluations = 0;
    for (size_t i = 0; i <= n; ++i, ++evaluations) values[i] = f(simplex[i]);
    std::vector<size_t> order(n + 1);
    while (evaluations < max_evaluations) {
        std::iota(order.begin(), order.end(), 0);
        std::sort(order.begin(), order.end(), [&](size_t x, size_t y) { return values[x] < values[y]; });
        const size_t best = order[0], worst = order[n], second = order[n - 1];
        if (std::fabs(values[worst] - values[best]) <= tolerance * (std::fabs(values[best]) + tolerance)) break;
        std::vector<double> centroid(n, 0.0);
        for (size_t i = 0; i <= n; ++i) {
            if (i == worst) continue;
            for (size_t d = 0; d < n; ++d) centroid[d] += simplex[i][d] / static_cast<double>(n);
        }
        auto along = [&](double t) {
            std::vector<double> p(n);
            for (size_t d = 0; d < n; ++d) p[d] = centroid[d] + t * (simplex[worst][d] - centroid[d]);
            return p;
        };
        auto reflected = along(-1.0);
        const double fr = f(reflected);
        ++evaluations;
        if (fr < values[best]) {
            auto expanded = along(-2.0);
            const double fe = f(expanded);
            ++evaluations;
            if (fe < fr) {
                simplex[worst] = expanded;
                values[worst] = fe;
            } else {
                simplex[worst] = reflected;
                values[worst] = fr;
            }
        } else if (fr < values[second]) {
            simplex[worst] = reflected;
            values[worst] = fr;
        } else {
            auto contracted = along(fr < values[worst] ? -0.5 : 0.5);
            const double fc = f(contracted);
            ++evaluations;
            if (fc < std::min(fr, values[worst])) {
                simplex[worst] = contracted;
                values[worst] = fc;
            } else {
                for (size_t i = 0; i <= n; ++i) {  // shrink towards the best
                    if (i == best) continue;
                    for (size_t d = 0; d < n; ++d) simplex[i][d] = simplex[best][d] + 0.5 * (simplex[i][d] - simplex[best][d]);
                    values[i] = f(simplex[i]);
                    ++evaluations;
                }
            }
        }
    }
    const size_t best = static_cast<size_t>(std::min_element(values.begin(), values.end()) - values.begin());
    return simplex[best];
}

double BgNbdLogLikelihood(const BgNbd& p, const Rft& c) {
    const double x = c.x;
    const double a1 = std::lgamma(p.r + x) - std::lgamma(p.r) + p.r * std::log(p.alpha);
    const double a2 = LogBeta(p.a, p.b + x) - LogBeta(p.a, p.b);
    const double a3 = -(p.r + x) * std::log(p.alpha + c.T);
    const double a4 = x > 0 ? std::log(p.a) - std::log(p.b + x - 1) - (p.r + x) * std::log(p.alpha + c.t_x)
                            : -std::numeric_limits<double>::infinity();
    return a1 + a2 + LogSumExp(a3, a4);
}

BgNbd FitBgNbd(const std::vector<Rft>& members) {
    auto nll = [&](const std::vector<double>& logs) {
        if (!InBounds(logs)) return kBad;
        const BgNbd p{std::exp(logs[0]), std::exp(logs[1]), std::exp(logs[2]), std::exp(logs[3])};
        double total = 0;
        for (const auto& c : members) total += BgNbdLogLikelihood(p, c);
        return std::isfinite(total) ? -total : kBad;
    };
    double mean_t = 0;
    for (const auto& c : members) mean_t += c.T;
    mean_t = members.empty() ? 1 : mean_t / static_cast<double>(members.size());
    // Start from r = 1, α the mean observation time, a = b = 1 (all on the log scale).
    const auto best = NelderMead(nll, {0.0, std::log(std::max(1.0, mean_t)), 0.0, 0.0});
    BgNbd p{std::exp(best[0]), std::exp(best[1]), std::exp(best[2]), std::exp(best[3])};
    p.log_likelihood = -nll(best);
    p.at_bound = AtBound(best);
    return p;
}

double ProbabilityAlive(const BgNbd& p, const Rft& c) {
    if (c.x == 0) return 1.0;
    const double ratio = std::exp((p.r + c.x) * (std::log(p.alpha + c.T) - std::log(p.alpha + c.t_x)));
    return 1.0 / (1.0 + p.a / (p.b + c.x - 1) * ratio);
}

double Hyp2F1(double a, double b, double c, double z) {
    double term = 1, sum = 1;
    for (int n = 0; n < 100000; ++n) {
        term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z;
        sum += term;
        if (std::fabs(term) < 1e-14 * std::fabs(sum)) break;
    }
    return sum;
}

double ExpectedPurchases(const BgNbd& p, const Rft& c, double t) {
    // (a - 1) sits in a denominator; the formula holds on either side of a = 1, only not at it.
    const double a = std::fabs(p.a - 1) < 1e-9 ? 1 + 1e-9 : p.a;
    const double x = c.x;
    const double z = t / (p.alpha + c.T + t);
    const double head = (a + p.b + x - 1) / (a - 1);
    const double tail = 1 - std::pow((p.alpha + c.T) / (p.alpha + c.T + t), p.r + x) *
                                Hyp2F1(p.r + x, p.b + x, a + p.b + x - 1, z);
    const double dead = x > 0 ? p.a / (p.b + x - 1) * std::pow((p.alpha + c.T) / (p.alpha + c.t_x), p.r + x) : 0.0;
    const double expected = head * tail / (1 + dead);
    // Far from the data the series can lose all precision; an expectation is never negative.
    return std::isfinite(expected) && expected > 0 ? expected : 0.0;
}

GammaGamma FitGammaGamma(const std::vector<Spend>& members) {
    auto nll = [&](const std::vector<double>& logs) {
        if (!InBounds(logs)) return kBad;
        const double p = std::exp(logs[0]), q = std::exp(logs[1]), g = std::exp(logs[2]);
        double total = 0;
        for (const auto& s : members) {
            const double px = p * s.x;
            total += std::lgamma(px + q) - std::lgamma(px) - std::lgamma(q) + q * std::log(g) + (px - 1) * std::log(s.m_x) +
                     px * std::log(s.x) - (px + q) * std::log(g + s.x * s.m_x);
        }
        return std::isfinite(total) ? -total : kBad;
    };
    double mean = 0;
    for (const auto& s : members) mean += s.m_x;
    mean = members.empty() ? 1 : mean / static_cast<double>(members.size());
    const auto best = NelderMead(nll, {std::log(2.0), std::log(2.0), std::log(std::max(1.0, mean))});
    GammaGamma g{std::exp(best[0]), std::exp(best[1]), std::exp(best[2])};
    g.log_likelihood = -nll(best);
    g.at_bound = AtBound(best);
    return g;
}

double ExpectedAverageValue(const GammaGamma& g, const Spend& s) {
    const double denominator = g.p * s.x + g.q - 1;
    return denominator > 0 ? g.p * (g.gamma + s.x * s.m_x) / denominator : s.m_x;
}

}  // namespace storecrm::analytics
