#pragma once
// k-means clusters of buying members (GET /analytics/clusters), with who is in each, for
// routes that act on a cluster (a segment from a cluster).

#include <cstdint>
#include <map>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/error.hpp"
#include "http/context.hpp"

namespace storecrm::analytics {

struct ClusterRun {
    nlohmann::json answer;                              // what GET /analytics/clusters answers
    std::map<int64_t, std::vector<int64_t>> members;  // cluster id (as in the answer) → member ids
};

// Reads the request's from, to, k and features like the clusters route.
Result<ClusterRun> RunClusters(http::RequestContext& ctx);

}  // namespace storecrm::analytics
