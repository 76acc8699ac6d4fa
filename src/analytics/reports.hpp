#pragma once
// Sales reports over the in-memory columns: the dashboard figures (amount, transactions,
// average order value 客单价, basket size, member share, frequency, repurchase), amount by day,
// by product, by weekday × hour and by store; first-purchase cohorts and their retention; the
// members buying in a period. Pure functions of the columns, so they are tested on small
// hand-made data.

#include <array>
#include <cstdint>
#include <map>
#include <vector>

#include "analytics/sales_columns.hpp"

namespace storecrm::analytics {

struct StoreFigures {
    int64_t amount = 0;
    int64_t sales_amount = 0;  // receipts only (no refunds), for the average order value
    int64_t transactions = 0;
    int64_t members_buying = 0;
};

struct SalesReport {
    int64_t amount = 0;        // net: refunds in the period deducted
    int64_t sales_amount = 0;  // receipts only
    int64_t transactions = 0;
    int64_t items = 0;
    int64_t member_transactions = 0;
    int64_t member_sales_amount = 0;
    int64_t members_buying = 0;
    int64_t members_repeat = 0;  // with two purchases or more
    std::vector<int64_t> day_amount, day_transactions;  // index: day - from_day
    std::map<uint32_t, std::pair<int64_t, int64_t>> product_amount_quantity;
    std::array<std::array<int64_t, 24>, 7> heat_amount{}, heat_transactions{};  // [weekday-1][hour]
    std::map<uint16_t, StoreFigures> stores;
};

SalesReport ComputeSales(const SalesColumns& columns, const Period& period);

// 1 = Monday ... 7 = Sunday.
inline int WeekdayOf(uint16_t day) { return (day + 5) % 7 + 1; }  // 2000-01-01 was a Saturday
// Months since January 2000 (China time), and back to "YYYY-MM".
int MonthOf(uint16_t day);
std::string MonthText(int month);

struct Cohort {
    int month = 0;
    int64_t members = 0;
    std::vector<int64_t> active;  // active[k]: members buying again k months after the first
};

// Members by the month of their first purchase (in `stores`), for first months in
// [first_month, last_month], with activity up to `last_month`.
std::vector<Cohort> ComputeCohorts(const SalesColumns& columns, int first_month, int last_month,
                                   const std::vector<uint16_t>& stores);

// Distinct members with a purchase (not a refund) in the period.
std::vector<uint32_t> MembersBuying(const SalesColumns& columns, const Period& period);

}  // namespace storecrm::analytics
