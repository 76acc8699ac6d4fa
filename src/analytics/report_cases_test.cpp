// Data-driven report tests, in the manner of duckdb's test/sql: each file under
// tests/analytics holds receipts, a report query and the exact text the report must give.
//
//   receipt <member> <YYYY-MM-DD> <HH> <store> [refund]     a receipt (member 0: walk-in)
//   line <product> <amount fen> <quantity>                   a line of the last receipt
//   query <sales|rfm|cohorts|baskets> key=value ...           then the expected lines, up to
//   ----                                                     a line of four dashes
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "analytics/baskets.hpp"
#include "analytics/reports.hpp"
#include "analytics/rfm.hpp"
#include "common/clock.hpp"

namespace storecrm::analytics {
namespace {

uint16_t Day(const std::string& date) { return DayOf(*ParseIsoDate(date) + 12 * 3600); }

std::vector<uint16_t> Stores(const std::string& list) {
    std::vector<uint16_t> out;
    std::stringstream in(list);
    for (std::string one; std::getline(in, one, ',');) out.push_back(static_cast<uint16_t>(std::stoi(one)));
    return out;
}

std::string Format(const char* pattern, double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, pattern, v);
    return buf;
}

std::vector<std::string> RunReport(const SalesColumns& c, const std::string& report, std::map<std::string, std::string> args) {
    std::vector<std::string> out;
    Period period{Day(args["from"]), Day(args["to"]), args.count("stores") ? Stores(args["stores"]) : std::vector<uint16_t>{}};
    if (report == "sales") {
        const auto r = ComputeSales(c, period);
        out.push_back("amount " + std::to_string(r.amount) + " transactions " + std::to_string(r.transactions) + " items " +
                      std::to_string(r.items) + " members " + std::to_string(r.members_buying) + " repeat " +
                      std::to_string(r.members_repeat));
        for (size_t i = 0; i < r.day_amount.size(); ++i) {
            if (r.day_amount[i] || r.day_transactions[i]) {
                out.push_back("day " + FormatIsoUtc(DayStart(static_cast<uint16_t>(period.from_day + i)) + kLocalOffset).substr(0, 10) +
                              " " + std::to_string(r.day_amount[i]) + " " + std::to_string(r.day_transactions[i]));
            }
        }
        for (const auto& [store, s] : r.stores) {
            out.push_back("store " + std::to_string(store) + " " + std::to_string(s.amount) + " " +
                          std::to_string(s.transactions) + " " + std::to_string(s.members_buying));
        }
    } else if (report == "rfm") {
        const auto r = ComputeRfm(c, period);
        for (const auto& m : r.members) {
            out.push_back("member " + std::to_string(m.member) + " r" + std::to_string(m.r) + " f" + std::to_string(m.f) +
                          " m" + std::to_string(m.m) + " " + std::to_string(m.recency_days) + " " +
                          std::to_string(m.frequency) + " " + std::to_string(m.monetary) + " " + RfmClass(m.r, m.f));
        }
    } else if (report == "cohorts") {
        for (const auto& cohort : ComputeCohorts(c, MonthOf(period.from_day), MonthOf(period.to_day), period.stores)) {
            std::string line = "cohort " + MonthText(cohort.month) + " " + std::to_string(cohort.members);
            for (int64_t a : cohort.active) line += " " + std::to_string(a);
            out.push_back(line);
        }
    } else if (report == "baskets") {
        BasketQuery q{.period = period,
                      .min_support = std::stod(args["min_support"]),
                      .min_confidence = args.count("min_confidence") ? std::stod(args["min_confidence"]) : 0.0,
                      .min_lift = args.count("min_lift") ? std::stod(args["min_lift"]) : 0.0,
                      .max_length = args.count("max_length") ? std::stoi(args["max_length"]) : 2};
        const auto r = MineBaskets(c, q);
        out.push_back("baskets " + std::to_string(r.baskets) + " frequent " + std::to_string(r.frequent_items));
        for (const auto& rule : r.rules) {
            std::string left;
            for (uint32_t a : rule.antecedent) left += (left.empty() ? "" : ",") + std::to_string(a);
            out.push_back("rule " + left + " -> " + std::to_string(rule.consequent) + " " + std::to_string(rule.count) + " " +
                          Format("%.4f", rule.support) + " " + Format("%.4f", rule.confidence) + " " +
                          Format("%.4f", rule.lift));
        }
    } else {
        out.push_back("unknown report " + report);
    }
    return out;
}

TEST(ReportCasesTest, EveryFileGivesItsExpectedReport) {
    const std::filesystem::path dir = STORECRM_ANALYTICS_CASES;
    size_t files = 0, queries = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".test") continue;
        ++files;
        std::ifstream in(entry.path());
        SalesColumns c;
        std::string line;
        int number = 0;
        while (std::getline(in, line)) {
            ++number;
            std::istringstream words(line);
            std::string kind;
            words >> kind;
            if (kind.empty() || kind[0] == '#') continue;
            if (kind == "receipt") {
                uint32_t member;
                std::string date, refund;
                int hour, store;
                words >> member >> date >> hour >> store >> refund;
                c.AppendSale(member, DayStart(Day(date)) + hour * 3600, static_cast<uint16_t>(store), refund == "refund");
            } else if (kind == "line") {
                uint32_t product;
                int32_t amount;
                int16_t quantity;
                words >> product >> amount >> quantity;
                c.AppendLine(product, amount, quantity);
            } else if (kind == "query") {
                std::string report;
                words >> report;
                std::map<std::string, std::string> args;
                for (std::string kv; words >> kv;) args[kv.substr(0, kv.find('='))] = kv.substr(kv.find('=') + 1);
                std::vector<std::string> expected;
                while (std::getline(in, line) && line != "----") {
                    ++number;
                    if (!line.empty()) expected.push_back(line);
                }
                ++queries;
                EXPECT_EQ(RunReport(c, report, args), expected) << entry.path().filename() << " near line " << number;
            }
        }
    }
    EXPECT_GE(files, 3u);
    EXPECT_GE(queries, 6u);
}

}  // namespace
}  // namespace storecrm::analytics
