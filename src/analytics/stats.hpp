#pragma once
// Small statistics the reports need, written for clarity and tested on hand-worked cases:
// Pearson and Spearman correlation (ranks with ties averaged), standardisation, k-means with
// k-means++ seeding, and the silhouette score used to suggest k.

#include <cstdint>
#include <optional>
#include <vector>

namespace storecrm::analytics {

// nullopt when fewer than three pairs or a constant column.
std::optional<double> Pearson(const std::vector<double>& x, const std::vector<double>& y);
std::optional<double> Spearman(const std::vector<double>& x, const std::vector<double>& y);
// 1-based ranks, ties sharing their average rank.
std::vector<double> Ranks(const std::vector<double>& values);

// Rows of points, each with `dims` values, in place: every column to mean 0, deviation 1.
void Standardise(std::vector<double>& points, size_t dims);

struct KMeans {
    std::vector<double> centroids;  // k × dims
    std::vector<uint32_t> assignment;
    double inertia = 0;
};
// Lloyd's iterations from k-means++ seeds (deterministic for a seed).
KMeans RunKMeans(const std::vector<double>& points, size_t dims, size_t k, uint64_t seed, int max_iterations = 50);
// Mean silhouette of the points (or of an evenly spaced sample of at most `sample` of them).
double Silhouette(const std::vector<double>& points, size_t dims, const std::vector<uint32_t>& assignment, size_t k,
                  size_t sample = 2000);

}  // namespace storecrm::analytics
