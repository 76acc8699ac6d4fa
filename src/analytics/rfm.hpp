#pragma once
// RFM 客户价值分析: per member, recency (days since the last purchase), frequency (purchases)
// and monetary value (net spend) in a period; quintile scores 1–5 (5 = best: most recent, most
// frequent, highest spend); the usual named classes from the R × F grid; the 5 × 5 grid with
// members and revenue per cell.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analytics/sales_columns.hpp"

namespace storecrm::analytics {

// Recency is counted from the end of `to_day`.
using RfmQuery = Period;

struct RfmMember {
    uint32_t member = 0;
    uint16_t recency_days = 0;
    uint32_t frequency = 0;
    int64_t monetary = 0;  // fen
    uint8_t r = 0, f = 0, m = 0;
};

struct RfmCell {
    uint32_t members = 0;
    int64_t revenue = 0;
};

struct RfmResult {
    std::vector<RfmMember> members;  // every member who bought in the period, by member id
    std::array<std::array<RfmCell, 5>, 5> grid{};  // [r-1][f-1]
    // Quintile cut points (the value at 20/40/60/80 %): a score is 1 + the cut points passed.
    std::array<double, 4> recency_cuts{}, frequency_cuts{}, monetary_cuts{};
};

RfmResult ComputeRfm(const SalesColumns& columns, const RfmQuery& query);

// "champions", "loyal", "potential_loyalist", "new", "promising", "need_attention",
// "about_to_sleep", "at_risk", "cant_lose", "hibernating", "lost".
const char* RfmClass(uint8_t r, uint8_t f);
const std::vector<std::string>& RfmClasses();

}  // namespace storecrm::analytics
