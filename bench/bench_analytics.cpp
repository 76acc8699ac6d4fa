// The analysis engine on generated data: 1,000,000 members and 10,000,000 sale lines in the
// in-memory columns, then RFM over the last 12 months — printed beside the raw limit, a
// minimal single-threaded scan that only sums spend per member over the same arrays, and the
// issue's aims. With a SQLite file path as third argument, the same data is written there and
// the same RFM aggregation and basket pair count run as SQL, for comparison; the receipts and
// lines are also written beside it as FILE.sales.csv and FILE.lines.csv, with the SQL as
// FILE.queries.tsv, for bench/duckdb/duckdb_bench.mjs to run the same queries in DuckDB.
// Figures only; nothing is asserted.
//
//   bench_analytics [members] [lines] [sqlite-file]
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include <sqlite3.h>

#include "analytics/baskets.hpp"
#include "analytics/reports.hpp"
#include "analytics/rfm.hpp"

using namespace storecrm::analytics;

namespace {

double Seconds(std::chrono::steady_clock::time_point since) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

template <typename F>
double BestOf(int runs, F&& f) {
    double best = 1e9;
    for (int i = 0; i < runs; ++i) {
        const auto t = std::chrono::steady_clock::now();
        f();
        best = std::min(best, Seconds(t));
    }
    return best;
}

void Exec(sqlite3* db, const char* sql) {
    char* error = nullptr;
    if (sqlite3_exec(db, sql, nullptr, nullptr, &error) != SQLITE_OK) {
        std::fprintf(stderr, "sqlite: %s\n", error ? error : "?");
        sqlite3_free(error);
    }
}

double TimeQuery(sqlite3* db, const std::string& sql, long long* rows) {
    const auto t = std::chrono::steady_clock::now();
    sqlite3_stmt* stmt = nullptr;
    sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr);
    *rows = 0;
    while (sqlite3_step(stmt) == SQLITE_ROW) ++*rows;
    sqlite3_finalize(stmt);
    return Seconds(t);
}

// The engine's work as SQL, over one table `lines` (receipt, member, day, store, product, amount,
// refund): run here in SQLite and written to FILE.queries.tsv for DuckDB, so both run the same text.
struct BesideQuery {
    const char* label;  // printed after the engine's name
    const char* rows;   // what a result row is
    std::string sql;
};

std::vector<BesideQuery> BesideQueries(uint16_t from, uint16_t to) {
    return {
        {"RFM aggregation", "members",
         "SELECT member, MAX(CASE WHEN refund = 0 THEN day END), COUNT(DISTINCT CASE WHEN refund = 0 THEN receipt END), "
         "SUM(amount) FROM lines WHERE member > 0 AND day BETWEEN " +
             std::to_string(from) + " AND " + std::to_string(to) + " GROUP BY member HAVING COUNT(CASE WHEN refund = 0 THEN 1 END) > 0"},
        {"basket pair counts", "pairs",
         "SELECT a.product, b.product, COUNT(*) FROM lines a JOIN lines b ON a.receipt = b.receipt AND "
         "a.product < b.product WHERE a.refund = 0 GROUP BY a.product, b.product"},
    };
}

// Buffered CSV rows of integers; std::to_chars keeps 15 million rows to a few seconds.
class CsvWriter {
public:
    explicit CsvWriter(const std::string& path) : file_(std::fopen(path.c_str(), "wb")) {
        if (!file_) std::fprintf(stderr, "cannot write %s\n", path.c_str());
        buffer_.reserve(kFlushAt + 256);
    }
    ~CsvWriter() {
        Flush();
        if (file_) std::fclose(file_);
    }
    void Text(const char* line) {
        buffer_ += line;
        buffer_ += '\n';
    }
    void Row(std::initializer_list<int64_t> values) {
        char digits[24];
        bool first = true;
        for (int64_t v : values) {
            if (!first) buffer_ += ',';
            first = false;
            buffer_.append(digits, std::to_chars(digits, digits + sizeof digits, v).ptr);
        }
        buffer_ += '\n';
        if (buffer_.size() >= kFlushAt) Flush();
    }

private:
    static constexpr size_t kFlushAt = 1 << 20;
    void Flush() {
        if (file_ && !buffer_.empty()) std::fwrite(buffer_.data(), 1, buffer_.size(), file_);
        buffer_.clear();
    }
    std::FILE* file_;
    std::string buffer_;
};

// The same receipts and lines as CSV files beside the SQLite file, and the SQL as label<TAB>rows<TAB>sql.
void CsvBeside(const SalesColumns& c, const std::string& path, const std::vector<BesideQuery>& queries) {
    const auto t = std::chrono::steady_clock::now();
    {
        CsvWriter sales(path + ".sales.csv");
        sales.Text("receipt,member,day,store,refund");
        for (size_t s = 0; s < c.sales(); ++s) {
            sales.Row({static_cast<int64_t>(s), c.sale_member[s], c.sale_day[s], c.sale_store[s], c.sale_refund[s]});
        }
        CsvWriter lines(path + ".lines.csv");
        lines.Text("receipt,product,amount");
        for (size_t s = 0; s < c.sales(); ++s) {
            for (uint32_t l = c.sale_first_line[s], e = c.LineEnd(s); l < e; ++l) {
                lines.Row({static_cast<int64_t>(s), c.line_product[l], c.line_amount[l]});
            }
        }
        CsvWriter sql(path + ".queries.tsv");
        for (const auto& q : queries) sql.Text((std::string(q.label) + '\t' + q.rows + '\t' + q.sql).c_str());
    }
    std::printf("csv: wrote %zu receipts, %zu lines in %.1f s (%s.sales.csv, .lines.csv, .queries.tsv)\n", c.sales(),
                c.lines(), Seconds(t), path.c_str());
}

// The same receipts as a SQLite table, and the engine's work as SQL beside it.
void SqlBeside(const SalesColumns& c, const char* path, uint16_t from, uint16_t to) {
    std::remove(path);
    sqlite3* db = nullptr;
    sqlite3_open(path, &db);
    Exec(db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
             "CREATE TABLE lines (receipt INTEGER, member INTEGER, day INTEGER, store INTEGER, product INTEGER, "
             "amount INTEGER, refund INTEGER)");
    const auto t = std::chrono::steady_clock::now();
    Exec(db, "BEGIN");
    sqlite3_stmt* insert = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO lines VALUES (?, ?, ?, ?, ?, ?, ?)", -1, &insert, nullptr);
    for (size_t s = 0; s < c.sales(); ++s) {
        for (uint32_t l = c.sale_first_line[s], e = c.LineEnd(s); l < e; ++l) {
            const int64_t values[] = {static_cast<int64_t>(s), c.sale_member[s], c.sale_day[s], c.sale_store[s],
                                      c.line_product[l], c.line_amount[l], c.sale_refund[s]};
            for (int i = 0; i < 7; ++i) sqlite3_bind_int64(insert, i + 1, values[i]);
            sqlite3_step(insert);
            sqlite3_reset(insert);
        }
    }
    sqlite3_finalize(insert);
    Exec(db, "COMMIT");
    std::printf("sqlite: wrote %zu lines in %.1f s\n", c.lines(), Seconds(t));
    const auto queries = BesideQueries(from, to);
    for (const auto& q : queries) {
        long long rows = 0;
        const double seconds = TimeQuery(db, q.sql, &rows);
        std::printf("%-34s %8.3f %10s   (%lld %s; SQL beside the engine)\n", ("sqlite " + std::string(q.label)).c_str(),
                    seconds, "", rows, q.rows);
    }
    sqlite3_close(db);
    CsvBeside(c, path, queries);
}

}  // namespace

int main(int argc, char** argv) {
    const uint32_t members = argc > 1 ? static_cast<uint32_t>(std::atol(argv[1])) : 1000000;
    const size_t lines = argc > 2 ? static_cast<size_t>(std::atoll(argv[2])) : 10000000;
    std::mt19937_64 rng(7);
    const uint16_t today = DayOf(1796000000);  // late 2026
    SalesColumns c;
    c.sale_member.reserve(lines / 2);
    c.line_product.reserve(lines);
    const auto t0 = std::chrono::steady_clock::now();
    // Three years of receipts of one to three lines; a fifth of receipts without a member.
    while (c.lines() < lines) {
        const uint32_t member = rng() % 5 == 0 ? 0 : 1 + static_cast<uint32_t>(rng() % members);
        const uint16_t day = static_cast<uint16_t>(today - rng() % 1095);
        c.AppendSale(member, DayStart(day) + 10 * 3600 + static_cast<int64_t>(rng() % 43200),
                     static_cast<uint16_t>(1 + rng() % 50), rng() % 50 == 0);
        const int n = 1 + static_cast<int>(rng() % 3);
        for (int k = 0; k < n && c.lines() < lines; ++k) {
            c.AppendLine(static_cast<uint32_t>(1 + rng() % 5000), static_cast<int32_t>(500 + rng() % 30000), 1);
        }
    }
    c.ShrinkToFit();  // as the engine does after its first load
    std::printf("generated %zu receipts, %zu lines for %u members in %.1f s\n", c.sales(), c.lines(), members, Seconds(t0));
    std::printf("columns: %.1f bytes per sale line (aim < 24)\n", static_cast<double>(c.Bytes()) / c.lines());

    const RfmQuery year{.from_day = static_cast<uint16_t>(today - 364), .to_day = today};
    size_t rfm_members = 0;
    const double rfm = BestOf(3, [&] { rfm_members = ComputeRfm(c, year).members.size(); });
    RfmQuery five = year;
    five.stores = {1, 2, 3, 4, 5};
    const double rfm_stores = BestOf(3, [&] { (void)ComputeRfm(c, five); });
    // The raw limit: one pass summing line amounts per member, nothing else.
    std::vector<int64_t> spend(members + 1);
    const double raw = BestOf(3, [&] {
        std::fill(spend.begin(), spend.end(), 0);
        for (size_t s = 0; s < c.sales(); ++s) {
            int64_t amount = 0;
            for (uint32_t l = c.sale_first_line[s], e = c.LineEnd(s); l < e; ++l) amount += c.line_amount[l];
            spend[c.sale_member[s]] += amount;
        }
    });
    const Period month{.from_day = static_cast<uint16_t>(today - 29), .to_day = today};
    const double sales_month = BestOf(3, [&] { (void)ComputeSales(c, month); });
    const double sales_year = BestOf(3, [&] { (void)ComputeSales(c, year); });
    const int last_month = MonthOf(today);
    const double cohorts = BestOf(3, [&] { (void)ComputeCohorts(c, last_month - 11, last_month, {}); });
    // Basket pair counts over every receipt: all 5,000 products frequent at this support.
    BasketResult basket;
    const double baskets = BestOf(3, [&] {
        basket = MineBaskets(c, {.period = {.from_day = 0, .to_day = today}, .min_support = 0.00001,
                                 .min_confidence = 0, .min_lift = 0, .max_length = 2});
    });
    std::printf("%-34s %8s %10s\n", "report", "seconds", "aim");
    std::printf("%-34s %8.3f %10s   (%lld baskets, %lld items, %zu rules)\n", "basket pair counts, all time", baskets,
                "<= 0.35", static_cast<long long>(basket.baskets), static_cast<long long>(basket.frequent_items),
                basket.rules.size());
    std::printf("%-34s %8.3f %10s\n", "sales dashboard, 30 days", sales_month, "< 1");
    std::printf("%-34s %8.3f %10s\n", "sales dashboard, 12 months", sales_year, "< 1");
    std::printf("%-34s %8.3f %10s\n", "cohorts, 12 months", cohorts, "< 1");
    std::printf("%-34s %8.3f %10s   (%zu members scored)\n", "RFM, 12 months, all stores", rfm, "<= 0.45", rfm_members);
    std::printf("%-34s %8.3f %10s\n", "RFM, 12 months, 5 stores", rfm_stores, "<= 0.45");
    std::printf("%-34s %8.3f %10s   (raw limit: sum spend per member)\n", "minimal scan", raw, "");
    std::printf("RFM / minimal scan = %.1fx (aim: within 3x)\n", rfm / raw);
    if (argc > 3) SqlBeside(c, argv[3], static_cast<uint16_t>(today - 364), today);
    return 0;
}
