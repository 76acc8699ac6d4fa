#include "analytics/stats.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>

namespace storecrm::analytics {
namespace {

double Distance2(const double* a, const double* b, size_t dims) {
    double d = 0;
    for (size_t i = 0; i < dims; ++i) d += (a[i] - b[i]) * (a[i] - b[i]);
    return d;
}

}  // namespace

std::optional<double> Pearson(const std::vector<double>& x, const std::vector<double>& y) {
    const size_t n = std::min(x.size(), y.size());
    if (n < 3) return std::nullopt;
    double mx = 0, my = 0;
    for (size_t i = 0; i < n; ++i) {
        mx += x[i];
        my += y[i];
    }
    mx /= static_cast<double>(n);
    my /= static_cast<double>(n);
    double sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < n; ++i) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    if (sxx <= 0 || syy <= 0) return std::nullopt;
    return sxy / std::sqrt(sxx * syy);
}

std::vector<double> Ranks(const std::vector<double>& values) {
    std::vector<size_t> order(values.size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return values[a] < values[b]; });
    std::vector<double> ranks(values.size());
    for (size_t i = 0; i < order.size();) {
        size_t j = i;
        while (j + 1 < order.size() && values[order[j + 1]] == values[order[i]]) ++j;
        const double average = (static_cast<double>(i) + static_cast<double>(j)) / 2.0 + 1.0;
        for (size_t t = i; t <= j; ++t) ranks[order[t]] = average;
        i = j + 1;
    }
    return ranks;
}

std::optional<double> Spearman(const std::vector<double>& x, const std::vector<double>& y) {
    return Pearson(Ranks(x), Ranks(y));
}

void Standardise(std::vector<double>& points, size_t dims) {
    const size_t n = dims ? points.size() / dims : 0;
    if (n == 0) return;
    for (size_t d = 0; d < dims; ++d) {
        double mean = 0, var = 0;
        for (size_t i = 0; i < n; ++i) mean += points[i * dims + d];
        mean /= static_cast<double>(n);
        for (size_t i = 0; i < n; ++i) var += (points[i * dims + d] - mean) * (points[i * dims + d] - mean);
        const double sd = std::sqrt(var / static_cast<double>(n));
        for (size_t i = 0; i < n; ++i) points[i * dims + d] = sd > 0 ? (points[i * dims + d] - mean) / sd : 0.0;
    }
}

KMeans RunKMeans(const std::vector<double>& points, size_t dims, size_t k, uint64_t seed, int max_iterations) {
    const size_t n = points.size() / dims;
    KMeans out;
    if (n == 0 || k == 0) return out;
    k = std::min(k, n);
    std::mt19937_64 rng(seed);
    // k-means++: each next seed drawn with probability proportional to its squared distance.
    const size_t first = rng() % n;
    out.centroids.assign(points.begin() + static_cast<std::ptrdiff_t>(first * dims),
                         points.begin() + static_cast<std::ptrdiff_t>(first * dims + dims));
    std::vector<double> nearest(n, std::numeric_limits<double>::max());
    for (size_t c = 1; c < k; ++c) {
        const double* last = &out.centroids[(c - 1) * dims];
        double total = 0;
        for (size_t i = 0; i < n; ++i) {
            nearest[i] = std::min(nearest[i], Distance2(&points[i * dims], last, dims));
            total += nearest[i];
        }
        double pick = std::uniform_real_distribution<double>(0, total)(rng);
        size_t chosen = n - 1;
        for (size_t i = 0; i < n; ++i) {
            pick -= nearest[i];
            if (pick <= 0) {
                chosen = i;
                break;
            }
        }
        out.centroids.insert(out.centroids.end(), points.begin() + static_cast<std::ptrdiff_t>(chosen * dims),
                             points.begin() + static_cast<std::ptrdiff_t>(chosen * dims + dims));
    }
    out.assignment.assign(n, 0);
    for (int iteration = 0; iteration < max_iterations; ++iteration) {
        bool moved = false;
        out.inertia = 0;
        for (size_t i = 0; i < n; ++i) {
            uint32_t best = 0;
            double best_d = std::numeric_limits<double>::max();
            for (size_t c = 0; c < k; ++c) {
                const double d = Distance2(&points[i * dims], &out.centroids[c * dims], dims);
                if (d < best_d) {
                    best_d = d;
                    best = static_cast<uint32_t>(c);
                }
            }
            moved |= out.assignment[i] != best || iteration == 0;
            out.assignment[i] = best;
            out.inertia += best_d;
        }
        if (!moved) break;
        std::vector<double> sums(k * dims, 0.0);
        std::vector<size_t> counts(k, 0);
        for (size_t i = 0; i < n; ++i) {
            counts[out.assignment[i]] += 1;
            for (size_t d = 0; d < dims; ++d) sums[out.assignment[i] * dims + d] += points[i * dims + d];
        }
        for (size_t c = 0; c < k; ++c) {
            if (!counts[c]) continue;  // an empty cluster keeps its place
            for (size_t d = 0; d < dims; ++d) out.centroids[c * dims + d] = sums[c * dims + d] / static_cast<double>(counts[c]);
        }
    }
    return out;
}

double Silhouette(const std::vector<double>& points, size_t dims, const std::vector<uint32_t>& assignment, size_t k,
                  size_t sample) {
    const size_t n = points.size() / dims;
    if (n < 2 || k < 2) return 0;
    const size_t step = std::max<size_t>(1, n / sample);
    std::vector<size_t> picked;
    for (size_t i = 0; i < n; i += step) picked.push_back(i);
    double total = 0;
    size_t counted = 0;
    for (size_t i : picked) {
        std::vector<double> sum(k, 0.0);
        std::vector<size_t> count(k, 0);
        for (size_t j : picked) {
            if (j == i) continue;
            sum[assignment[j]] += std::sqrt(Distance2(&points[i * dims], &points[j * dims], dims));
            count[assignment[j]] += 1;
        }
        const uint32_t own = assignment[i];
        if (count[own] == 0) continue;  // alone in its cluster: silhouette 0 by convention
        const double a = sum[own] / static_cast<double>(count[own]);
        double b = std::numeric_limits<double>::max();
        for (size_t c = 0; c < k; ++c) {
            if (c != own && count[c]) b = std::min(b, sum[c] / static_cast<double>(count[c]));
        }
        if (b == std::numeric_limits<double>::max()) continue;
        total += (b - a) / std::max(a, b);
        ++counted;
    }
    return counted ? total / static_cast<double>(counted) : 0;
}

}  // namespace storecrm::analytics
