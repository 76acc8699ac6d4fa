#pragma once
// Per-member behaviour in a period, for correlation and clustering: recency, purchases, spend,
// average order value and how many product categories the member bought from.

#include <cstdint>
#include <vector>

#include "analytics/sales_columns.hpp"

namespace storecrm::analytics {

struct MemberFeatures {
    std::vector<uint32_t> member;  // ascending
    std::vector<double> recency_days, frequency, monetary, average_order_value, category_breadth;
};

// `category_of[product id]` gives the product's category (0: none).
MemberFeatures ComputeMemberFeatures(const SalesColumns& columns, const Period& period,
                                     const std::vector<uint32_t>& category_of);

}  // namespace storecrm::analytics
