// Checkout bench: a 3-line sale with the member's tier discount, a coupon and points, posted
// through HTTP with an Idempotency-Key at 1, 16 and 64 concurrent clients, beside the raw limit
// of the same database: a minimal program writing the same rows (one transaction per checkout,
// then 16 checkouts per transaction on SQLite; one stored-function call per checkout on
// PostgreSQL). Durable commits throughout (SQLite synchronous=FULL, PostgreSQL defaults).
// Figures are printed, never asserted.
//
// bench_checkout prepare DB KEY_FILE TOKEN_FILE MEMBERS COUPONS_PER_MEMBER
// bench_checkout http PORTS TOKEN_FILE DB MEMBERS COUPONS_PER_MEMBER SECONDS CLIENTS[,CLIENTS...]
// bench_checkout raw DB SECONDS [CONNECTIONS]
#include <libpq-fe.h>
#include <sqlite3.h>

#include <atomic>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "http_load.hpp"
#include "sales/pricing.hpp"
#include "security/crypto.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"

using namespace storecrm;
using namespace bench;

namespace {

// The basket every checkout sells: SKU, price (fen), quantity.
struct Item {
    const char* sku;
    int64_t price;
    int64_t quantity;
};
constexpr Item kBasket[] = {{"BENCH-TEE", 9900, 1}, {"BENCH-SOCK", 4900, 2}, {"BENCH-TEA", 2500, 1}};
constexpr int64_t kTierDiscountPct = 5;
constexpr int64_t kCouponOff = 500;
constexpr int64_t kPointsPerSale = 100;

bool IsPostgres(const std::string& db) { return db.find("://") != std::string::npos; }

int Fail(const std::string& what, const Error& e) {
    std::cerr << what << ": " << e.internal_detail << " " << e.message.key << "\n";
    return 1;
}

// The member ids, the coupon template and the product ids the runs use.
struct Fixture {
    int64_t store_id = 0, first_member = 0, template_id = 0;
    std::vector<int64_t> product_ids;
};

Result<Fixture> LoadFixture(storage::Transaction& tx) {
    Fixture f;
    auto store = tx.QueryOne("SELECT id FROM stores WHERE code = 'BENCHCO'");
    if (!store.ok()) return store.take_error();
    if (!store->has_value()) return Error::NotFound();
    f.store_id = (**store).Int(0);
    auto member = tx.QueryOne("SELECT MIN(id) FROM members WHERE member_no LIKE 'BC%'");
    if (!member.ok()) return member.take_error();
    f.first_member = (**member).Int(0);
    auto tmpl = tx.QueryOne("SELECT id FROM coupon_templates WHERE name = 'bench'");
    if (!tmpl.ok()) return tmpl.take_error();
    f.template_id = (**tmpl).Int(0);
    for (const auto& item : kBasket) {
        auto p = tx.QueryOne("SELECT id FROM products WHERE sku = ?", {item.sku});
        if (!p.ok()) return p.take_error();
        f.product_ids.push_back((**p).Int(0));
    }
    return f;
}

int Prepare(const std::string& db_url, const std::string& key_file, const std::string& token_file, int64_t members,
            int64_t coupons_per_member) {
    security::InitCrypto();
    auto vault = security::FieldVault::Load(key_file);  // creates the key the server will use
    if (!vault.ok()) return Fail("key", vault.error());
    auto db = storage::OpenDatabase(db_url, 1);
    if (!db.ok()) return Fail("open", db.error());
    if (auto m = storage::Migrate(**db); !m.ok()) return Fail("migrate", m.error());
    auto tx = (*db)->Begin(storage::TxMode::kWrite);
    if (!tx.ok()) return Fail("begin", tx.error());
    auto& t = **tx;
    const int64_t now = NowUnix();
    auto existing = t.QueryOne("SELECT id FROM stores WHERE code = 'BENCHCO'");
    if (existing.ok() && existing->has_value()) {
        std::cout << "bench_checkout: fixture already present\n";
    } else {
        auto store = t.QueryOne(
            "INSERT INTO stores (code, name, type, region, created_at, updated_at) VALUES ('BENCHCO', '收银压测', "
            "'direct', '华东', ?, ?) RETURNING id",
            {now, now});
        if (!store.ok()) return Fail("store", store.error());
        const int64_t store_id = (**store).Int(0);
        for (const auto& item : kBasket) {
            if (auto r = t.Exec("INSERT INTO products (sku, name, name_fold, price, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                                {item.sku, item.sku, item.sku, item.price, now, now});
                !r.ok()) {
                return Fail("product", r.error());
            }
        }
        auto tier = t.QueryOne(
            "INSERT INTO tiers (code, name, rank, threshold, discount_pct, points_multiplier_pct, created_at, updated_at) "
            "VALUES ('bench', '压测卡', 90, 0, ?, 150, ?, ?) RETURNING id",
            {kTierDiscountPct, now, now});
        if (!tier.ok()) return Fail("tier", tier.error());
        auto tmpl = t.QueryOne(
            "INSERT INTO coupon_templates (name, kind, amount_off, valid_days, created_at, updated_at) "
            "VALUES ('bench', 'amount_off', ?, 365, ?, ?) RETURNING id",
            {kCouponOff, now, now});
        if (!tmpl.ok()) return Fail("template", tmpl.error());
        // Members, their points (one big lot each) and their coupons, in set statements.
        const bool pg = t.dialect() == storage::Dialect::kPostgres;
        const std::string series = pg ? "generate_series(1, ?) AS s(n)"
                                      : "(WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < ?) "
                                        "SELECT n FROM c) s";
        const std::string pad = pg ? "lpad(s.n::text, 8, '0')" : "printf('%08d', s.n)";
        std::vector<std::pair<std::string, storage::Params>> statements = {
            {"INSERT INTO members (member_no, name, home_store_id, tier_id, points_balance, referral_code, created_at, "
             "updated_at) SELECT 'BC' || " + pad + ", '压测会员', ?, ?, 100000000, 'BC' || " + pad + ", ?, ? FROM " + series,
             {store_id, (**tier).Int(0), now, now, members}},
            {"INSERT INTO points_lots (member_id, points, remaining, earned_at) SELECT id, 100000000, 100000000, ? "
             "FROM members WHERE member_no LIKE 'BC%'",
             {now}},
            {"INSERT INTO points_ledger (member_id, delta, balance_after, kind, reason, source_type, lot_id, created_at) "
             "SELECT member_id, points, points, 'adjust', 'bench', 'bench', id, ? FROM points_lots",
             {now}},
            {"INSERT INTO coupons (template_id, member_id, code, valid_from, valid_until, issued_at) "
             "SELECT ?, m.id, 'BC' || m.id || 'X' || s.n, ?, ?, ? FROM members m, " + series + " WHERE m.member_no LIKE 'BC%'",
             {(**tmpl).Int(0), now - 60, now + 365 * 86400, now, coupons_per_member}},
        };
        for (const auto& [sql, params] : statements) {
            if (auto r = t.Exec(sql, params); !r.ok()) return Fail("fill", r.error());
        }
        const std::string token = "sct_" + security::RandomToken();
        if (auto r = t.Exec(
                "INSERT INTO api_tokens (name, token_hash, token_prefix, store_id, permissions, created_at) VALUES "
                "('bench-pos', ?, ?, ?, '[\"members.read\",\"sales.create\"]', ?)",
                {security::HashToken(token), token.substr(0, 8), store_id, now});
            !r.ok()) {
            return Fail("token", r.error());
        }
        std::ofstream(token_file) << token;
    }
    if (auto c = t.Commit(); !c.ok()) return Fail("commit", c.error());
    (void)(*db)->RefreshStatistics();
    std::cout << "bench_checkout: " << members << " members with " << coupons_per_member << " coupons each\n";
    return 0;
}

// What the POS would pay: priced by the same rules the server uses.
int64_t ExpectedTotal() {
    sales::PricingInput in;
    for (const auto& item : kBasket) in.lines.push_back({.sku = item.sku, .quantity = item.quantity, .unit_price = item.price});
    in.tier_discount_pct = kTierDiscountPct;
    in.coupons.push_back({.code = "x", .kind = "amount_off", .amount_off = kCouponOff});
    in.points_redeemed = kPointsPerSale;
    auto r = sales::Price(in);
    return r.ok() ? r->total : 0;
}

int Http(const std::string& ports, const std::string& token_file, const std::string& db_url, int64_t members,
         int64_t coupons_per_member, double seconds, const std::string& clients_list) {
    std::string token;
    std::ifstream(token_file) >> token;
    auto db = storage::OpenDatabase(db_url, 1);
    if (!db.ok()) return Fail("open", db.error());
    Fixture fixture;
    {
        auto tx = (*db)->Begin(storage::TxMode::kRead);
        auto f = LoadFixture(**tx);
        if (!f.ok()) return Fail("fixture (run prepare first)", f.error());
        fixture = *f;
    }
    const int64_t total = ExpectedTotal();
    std::vector<int64_t> next_coupon(members, 1);
    std::mt19937_64 rng(11);
    int64_t sequence = 0;
    const std::string run_id = security::RandomToken(4);
    auto next = [&] {
        const int64_t index = static_cast<int64_t>(rng() % static_cast<uint64_t>(members));
        const int64_t member = fixture.first_member + index;
        // Each till numbers its own receipts: spread the requests over 64 terminals, as 64 tills would.
        nlohmann::json body = {{"store_id", fixture.store_id}, {"terminal", "T" + std::to_string(sequence % 64)},
                               {"member_id", member}, {"points_redeemed", kPointsPerSale}};
        body["lines"] = nlohmann::json::array();
        for (const auto& item : kBasket) body["lines"].push_back({{"sku", item.sku}, {"quantity", item.quantity}});
        if (next_coupon[index] <= coupons_per_member) {
            body["coupon_codes"] = {"BC" + std::to_string(member) + "X" + std::to_string(next_coupon[index]++)};
            body["payments"] = {{{"method", "wechat_pay"}, {"amount", total}}};
        } else {
            body["payments"] = {{{"method", "wechat_pay"}, {"amount", total + kCouponOff}}};
        }
        return Request{bhttp::verb::post, "/api/v1/sales", body.dump(), run_id + "-" + std::to_string(++sequence)};
    };
    asio::io_context io;
    const auto endpoints = LoopbackEndpoints(ports);
    std::stringstream list(clients_list);
    std::string item;
    while (std::getline(list, item, ',')) {
        const int clients = std::stoi(item);
        LoadRun run(io, endpoints, token, next, clients, seconds);
        Figures f = run.Run();
        std::cout << "  HTTP checkout, " << std::setw(2) << clients << " clients: " << std::fixed << std::setprecision(0)
                  << std::setw(7) << f.per_second << " /s  p50 " << std::setprecision(2) << f.p50_ms << " ms  p99 "
                  << f.p99_ms << " ms  errors " << f.errors << "\n"
                  << std::flush;
    }
    return 0;
}

// ---- the raw limit on SQLite: the rows a checkout writes, through prepared statements ----

struct RawSqlite {
    sqlite3* db = nullptr;
    std::map<std::string, sqlite3_stmt*> statements;

    sqlite3_stmt* Stmt(const std::string& sql) {
        auto it = statements.find(sql);
        if (it != statements.end()) return it->second;
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v2(db, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
            std::cerr << "prepare: " << sqlite3_errmsg(db) << " in " << sql << "\n";
            std::exit(1);
        }
        return statements[sql] = s;
    }
    // Runs a statement with integer/text parameters; returns the first column of the first row.
    int64_t Run(const std::string& sql, const std::vector<std::variant<int64_t, std::string>>& params) {
        sqlite3_stmt* s = Stmt(sql);
        for (size_t i = 0; i < params.size(); ++i) {
            if (std::holds_alternative<int64_t>(params[i])) {
                sqlite3_bind_int64(s, static_cast<int>(i + 1), std::get<int64_t>(params[i]));
            } else {
                const auto& text = std::get<std::string>(params[i]);
                sqlite3_bind_text(s, static_cast<int>(i + 1), text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
            }
        }
        int64_t first = 0;
        int rc;
        while ((rc = sqlite3_step(s)) == SQLITE_ROW) first = sqlite3_column_int64(s, 0);
        if (rc != SQLITE_DONE) {
            std::cerr << "step: " << sqlite3_errmsg(db) << " in " << sql << "\n";
            std::exit(1);
        }
        sqlite3_reset(s);
        return first;
    }
};

// One checkout's writes (the statements the server's checkout issues, without its reads).
void RawCheckout(RawSqlite& r, const Fixture& f, int64_t member, int64_t coupon, int64_t lot, const std::string& key,
                 int64_t now) {
    static const int64_t t = ExpectedTotal();
    r.Run("UPDATE members SET points_balance = points_balance - ? WHERE id = ? AND points_balance >= ?",
          {kPointsPerSale, member, kPointsPerSale});
    const int64_t sale = r.Run(
        "INSERT INTO sales (store_id, terminal, receipt_no, member_id, sold_at, subtotal, line_discount, tier_discount, "
        "coupon_discount, points_redeemed, points_value, total, points_earned, created_at) "
        "VALUES (?, 'RAW', ?, ?, ?, 22200, 0, 1110, 500, 100, 100, ?, 300, ?) RETURNING id",
        {f.store_id, key, member, now, t, now});
    for (size_t i = 0; i < 3; ++i) {
        r.Run("INSERT INTO sale_lines (sale_id, line_no, product_id, sku, name, quantity, unit_price, discount, "
              "tier_discount, coupon_discount, points_used, points_value, amount, points_earned) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0, 0, 0)",
              {sale, static_cast<int64_t>(i + 1), f.product_ids[i], std::string(kBasket[i].sku),
               std::string(kBasket[i].sku), kBasket[i].quantity, kBasket[i].price});
        r.Run("INSERT INTO stock (store_id, product_id, quantity) VALUES (?, ?, ?) ON CONFLICT (store_id, product_id) "
              "DO UPDATE SET quantity = stock.quantity + excluded.quantity",
              {f.store_id, f.product_ids[i], -kBasket[i].quantity});
        r.Run("INSERT INTO stock_movements (store_id, product_id, quantity, reason, source_type, source_id, created_at) "
              "VALUES (?, ?, ?, 'sale', 'sale', ?, ?)",
              {f.store_id, f.product_ids[i], -kBasket[i].quantity, sale, now});
    }
    r.Run("INSERT INTO sale_payments (sale_id, method, amount) VALUES (?, 'wechat_pay', ?)", {sale, t});
    r.Run("INSERT INTO sale_payments (sale_id, method, amount) VALUES (?, 'points', 100)", {sale});
    r.Run("INSERT INTO sale_coupons (sale_id, coupon_id, discount) VALUES (?, ?, 500)", {sale, coupon});
    r.Run("UPDATE coupons SET status = 'used', used_at = ?, sale_id = ? WHERE id = ? AND status = 'issued'",
          {now, sale, coupon});
    const int64_t redeem = r.Run(
        "INSERT INTO points_ledger (member_id, delta, balance_after, kind, source_type, source_id, created_at) "
        "VALUES (?, -100, 0, 'redeem', 'sale', ?, ?) RETURNING id",
        {member, sale, now});
    r.Run("UPDATE points_lots SET remaining = remaining - 100 WHERE id = ?", {lot});
    r.Run("INSERT INTO points_lot_draws (ledger_id, lot_id, points) VALUES (?, ?, 100)", {redeem, lot});
    r.Run("UPDATE members SET points_balance = points_balance + 300 WHERE id = ?", {member});
    const int64_t new_lot = r.Run(
        "INSERT INTO points_lots (member_id, points, remaining, earned_at) VALUES (?, 300, 300, ?) RETURNING id",
        {member, now});
    r.Run("INSERT INTO points_ledger (member_id, delta, balance_after, kind, source_type, source_id, lot_id, created_at) "
          "VALUES (?, 300, 0, 'earn', 'sale', ?, ?, ?)",
          {member, sale, new_lot, now});
    r.Run("UPDATE members SET total_spend = total_spend + ?, purchase_count = purchase_count + 1, last_purchase_at = ? "
          "WHERE id = ?",
          {t, now, member});
    r.Run("INSERT INTO idempotency_keys (owner, key, request_hash, status_code, response_body, created_at) "
          "VALUES ('raw', ?, 'h', 201, '{}', ?)",
          {key, now});
}

// What the raw runs write with: the fixture, unused coupons (member, coupon) and each member's lot.
struct RawInputs {
    Fixture fixture;
    std::vector<std::pair<int64_t, int64_t>> coupons;
    std::map<int64_t, int64_t> lots;
};

Result<RawInputs> LoadRawInputs(const std::string& db_url) {
    auto db = storage::OpenDatabase(db_url, 1);
    if (!db.ok()) return db.take_error();
    auto tx = (*db)->Begin(storage::TxMode::kRead);
    if (!tx.ok()) return tx.take_error();
    RawInputs in;
    auto f = LoadFixture(**tx);
    if (!f.ok()) return f.take_error();
    in.fixture = *f;
    auto rows = (*tx)->Query("SELECT member_id, id FROM coupons WHERE status = 'issued' AND template_id = ? LIMIT 400000",
                             {in.fixture.template_id});
    if (!rows.ok()) return rows.take_error();
    for (const auto& r : *rows) in.coupons.emplace_back(r.Int(0), r.Int(1));
    auto lot_rows = (*tx)->Query("SELECT member_id, MIN(id) FROM points_lots GROUP BY member_id");
    if (!lot_rows.ok()) return lot_rows.take_error();
    for (const auto& r : *lot_rows) in.lots[r.Int(0)] = r.Int(1);
    return in;
}

void PrintRaw(const std::string& label, int64_t count, double elapsed, std::vector<double>& latencies) {
    Figures f = Summarise(latencies, 0, elapsed);
    std::cout << "  raw " << label << ": " << std::fixed << std::setprecision(0) << std::setw(7)
              << static_cast<double>(count) / elapsed << " checkouts/s  p99 " << std::setprecision(2) << f.p99_ms
              << " ms per commit\n"
              << std::flush;
}

int RawSqliteRun(const std::string& path, double seconds) {
    auto inputs = LoadRawInputs(path);
    if (!inputs.ok()) return Fail("fixture (run prepare first)", inputs.error());
    const auto& [fixture, coupons, lots] = *inputs;
    RawSqlite raw;
    sqlite3_open_v2(path.c_str(), &raw.db, SQLITE_OPEN_READWRITE, nullptr);
    sqlite3_exec(raw.db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", nullptr, nullptr,
                 nullptr);
    size_t next = 0;
    const std::string run_id = security::RandomToken(4);
    for (int per_tx : {1, 16}) {
        std::vector<double> latencies;
        int64_t count = 0;
        const auto start = Clock::now();
        const auto deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
        while (Clock::now() < deadline && next + per_tx < coupons.size()) {
            const auto t0 = Clock::now();
            sqlite3_exec(raw.db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
            for (int i = 0; i < per_tx; ++i, ++next, ++count) {
                const auto [member, coupon] = coupons[next];
                RawCheckout(raw, fixture, member, coupon, lots.at(member), run_id + "-" + std::to_string(next), NowUnix());
            }
            sqlite3_exec(raw.db, "COMMIT", nullptr, nullptr, nullptr);
            latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
        }
        PrintRaw(per_tx == 1 ? "SQLite, 1 checkout per transaction " : "SQLite, 16 checkouts per transaction", count,
                 std::chrono::duration<double>(Clock::now() - start).count(), latencies);
    }
    for (auto& [sql, s] : raw.statements) sqlite3_finalize(s);
    sqlite3_close(raw.db);
    return 0;
}

// ---- the raw limit on PostgreSQL: one stored-function call (one round trip) per checkout ----

constexpr const char* kPgFunction = R"(
CREATE OR REPLACE FUNCTION bench_raw_checkout(p_store bigint, p_member bigint, p_coupon bigint, p_lot bigint,
    p_products bigint[], p_key text, p_now bigint, p_total bigint) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE s bigint; redeem bigint; new_lot bigint; i int;
BEGIN
  UPDATE members SET points_balance = points_balance - 100 WHERE id = p_member AND points_balance >= 100;
  INSERT INTO sales (store_id, terminal, receipt_no, member_id, sold_at, subtotal, line_discount, tier_discount,
    coupon_discount, points_redeemed, points_value, total, points_earned, created_at)
    VALUES (p_store, 'RAW', p_key, p_member, p_now, 22200, 0, 1110, 500, 100, 100, p_total, 300, p_now) RETURNING id INTO s;
  FOR i IN 1..3 LOOP
    INSERT INTO sale_lines (sale_id, line_no, product_id, sku, name, quantity, unit_price, discount, tier_discount,
      coupon_discount, points_used, points_value, amount, points_earned)
      VALUES (s, i, p_products[i], 'SKU', 'SKU', 1, 100, 0, 0, 0, 0, 0, 0, 0);
    INSERT INTO stock (store_id, product_id, quantity) VALUES (p_store, p_products[i], -1)
      ON CONFLICT (store_id, product_id) DO UPDATE SET quantity = stock.quantity + excluded.quantity;
    INSERT INTO stock_movements (store_id, product_id, quantity, reason, source_type, source_id, created_at)
      VALUES (p_store, p_products[i], -1, 'sale', 'sale', s, p_now);
  END LOOP;
  INSERT INTO sale_payments (sale_id, method, amount) VALUES (s, 'wechat_pay', p_total), (s, 'points', 100);
  INSERT INTO sale_coupons (sale_id, coupon_id, discount) VALUES (s, p_coupon, 500);
  UPDATE coupons SET status = 'used', used_at = p_now, sale_id = s WHERE id = p_coupon AND status = 'issued';
  INSERT INTO points_ledger (member_id, delta, balance_after, kind, source_type, source_id, created_at)
    VALUES (p_member, -100, 0, 'redeem', 'sale', s, p_now) RETURNING id INTO redeem;
  UPDATE points_lots SET remaining = remaining - 100 WHERE id = p_lot;
  INSERT INTO points_lot_draws (ledger_id, lot_id, points) VALUES (redeem, p_lot, 100);
  UPDATE members SET points_balance = points_balance + 300 WHERE id = p_member;
  INSERT INTO points_lots (member_id, points, remaining, earned_at) VALUES (p_member, 300, 300, p_now) RETURNING id INTO new_lot;
  INSERT INTO points_ledger (member_id, delta, balance_after, kind, source_type, source_id, lot_id, created_at)
    VALUES (p_member, 300, 0, 'earn', 'sale', s, new_lot, p_now);
  UPDATE members SET total_spend = total_spend + p_total, purchase_count = purchase_count + 1, last_purchase_at = p_now
    WHERE id = p_member;
  INSERT INTO idempotency_keys (owner, key, request_hash, status_code, response_body, created_at)
    VALUES ('raw', p_key, 'h', 201, '{}', p_now);
  RETURN s;
END $$;
)";

int RawPostgresRun(const std::string& url, double seconds, int connections) {
    auto inputs = LoadRawInputs(url);
    if (!inputs.ok()) return Fail("fixture (run prepare first)", inputs.error());
    const auto& [fixture, coupons, lots] = *inputs;
    {
        PGconn* c = PQconnectdb(url.c_str());
        PGresult* r = PQexec(c, kPgFunction);
        if (PQresultStatus(r) != PGRES_COMMAND_OK) std::cerr << PQerrorMessage(c);
        PQclear(r);
        PQfinish(c);
    }
    const std::string products = "{" + std::to_string(fixture.product_ids[0]) + "," +
                                  std::to_string(fixture.product_ids[1]) + "," + std::to_string(fixture.product_ids[2]) + "}";
    const std::string total = std::to_string(ExpectedTotal());
    const std::string run_id = security::RandomToken(4);
    std::atomic<size_t> next{0};
    std::atomic<int64_t> count{0};
    std::vector<std::vector<double>> latencies(connections);
    const auto start = Clock::now();
    const auto deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    std::vector<std::thread> threads;
    for (int t = 0; t < connections; ++t) {
        threads.emplace_back([&, t] {
            PGconn* c = PQconnectdb(url.c_str());
            PQclear(PQprepare(c, "checkout", "SELECT bench_raw_checkout($1, $2, $3, $4, $5, $6, $7, $8)", 8, nullptr));
            while (Clock::now() < deadline) {
                const size_t i = next++;
                if (i >= coupons.size()) break;
                const auto [member, coupon] = coupons[i];
                const std::string values[] = {std::to_string(fixture.store_id), std::to_string(member),
                                              std::to_string(coupon), std::to_string(lots.at(member)), products,
                                              run_id + "-" + std::to_string(i), std::to_string(NowUnix()), total};
                const char* params[8];
                for (int k = 0; k < 8; ++k) params[k] = values[k].c_str();
                const auto t0 = Clock::now();
                PGresult* r = PQexecPrepared(c, "checkout", 8, params, nullptr, nullptr, 0);
                if (PQresultStatus(r) == PGRES_TUPLES_OK) ++count;
                else std::cerr << PQerrorMessage(c);
                PQclear(r);
                latencies[t].push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
            }
            PQfinish(c);
        });
    }
    for (auto& th : threads) th.join();
    std::vector<double> all;
    for (auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
    PrintRaw("PostgreSQL, stored function, " + std::to_string(connections) + " connections", count,
             std::chrono::duration<double>(Clock::now() - start).count(), all);
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const std::string mode = argc > 1 ? argv[1] : "";
    if (mode == "prepare" && argc == 7) return Prepare(argv[2], argv[3], argv[4], std::stoll(argv[5]), std::stoll(argv[6]));
    if (mode == "http" && argc == 9) {
        return Http(argv[2], argv[3], argv[4], std::stoll(argv[5]), std::stoll(argv[6]), std::stod(argv[7]), argv[8]);
    }
    if (mode == "raw" && argc >= 4) {
        security::InitCrypto();
        if (IsPostgres(argv[2])) return RawPostgresRun(argv[2], std::stod(argv[3]), argc > 4 ? std::stoi(argv[4]) : 4);
        return RawSqliteRun(argv[2], std::stod(argv[3]));
    }
    std::cerr << "usage:\n  bench_checkout prepare DB KEY_FILE TOKEN_FILE MEMBERS COUPONS_PER_MEMBER\n"
                 "  bench_checkout http PORTS TOKEN_FILE DB MEMBERS COUPONS_PER_MEMBER SECONDS CLIENTS[,CLIENTS...]\n"
                 "  bench_checkout raw DB SECONDS [CONNECTIONS]\n";
    return 2;
}
