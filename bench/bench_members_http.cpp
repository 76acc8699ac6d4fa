// HTTP load on a running storecrm (64 keep-alive connections by default) for member lookups,
// registration and /healthz, each printed beside its raw limit: the same lookup as a prepared
// SQLite statement in this process. Figures are printed, never asserted.
// Usage: bench_members_http PORT TOKEN_FILE DB KEY_FILE MEMBERS [SECONDS] [CONNECTIONS]
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <functional>
#include <iomanip>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "http_load.hpp"
#include "common/phone.hpp"
#include "common/sample_people.hpp"
#include "common/text_fold.hpp"
#include "security/crypto.hpp"

using namespace storecrm;
using namespace bench;

namespace {

// The raw limit: one prepared statement, one thread, the same blind-index lookup the server does.
Figures RawLoop(sqlite3* db, const char* sql, const std::function<void(sqlite3_stmt*)>& bind, double seconds) {
    if (!db) return {};
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) {
        std::cerr << "prepare failed: " << sqlite3_errmsg(db) << "\n";
        return {};
    }
    std::vector<double> latencies;
    int64_t errors = 0;
    const auto start = Clock::now();
    const auto deadline = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds));
    while (Clock::now() < deadline) {
        const auto t0 = Clock::now();
        bind(stmt);
        int rc;
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
            for (int c = 0; c < sqlite3_column_count(stmt); ++c) (void)sqlite3_column_blob(stmt, c);
        }
        if (rc != SQLITE_DONE) ++errors;
        sqlite3_reset(stmt);
        latencies.push_back(std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
    }
    sqlite3_finalize(stmt);
    return Summarise(latencies, errors, std::chrono::duration<double>(Clock::now() - start).count());
}

// BENCH_ONLY=<substring of a workload name> runs just the matching workloads (for profiling).
bool Wanted(const std::string& name) {
    const char* only = std::getenv("BENCH_ONLY");
    return !only || name.find(only) != std::string::npos;
}

void Print(const std::string& name, const Figures& http, const Figures* raw) {
    std::cout << std::left << std::setw(28) << name << std::right << std::fixed << std::setprecision(0) << std::setw(9)
              << http.per_second << " req/s  p50 " << std::setprecision(2) << std::setw(6) << http.p50_ms << " ms  p99 "
              << std::setw(6) << http.p99_ms << " ms  errors " << http.errors;
    if (raw && raw->count > 0) {
        std::cout << "   | raw SQLite " << std::setprecision(0) << std::setw(8) << raw->per_second << " /s  p99 "
                  << std::setprecision(3) << raw->p99_ms << " ms  (http/raw " << std::setprecision(2)
                  << (raw->per_second > 0 ? http.per_second / raw->per_second : 0) << ")";
    }
    std::cout << "\n" << std::flush;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 6) {
        std::cerr << "usage: bench_members_http PORT TOKEN_FILE DB KEY_FILE MEMBERS [SECONDS] [CONNECTIONS]\n";
        return 2;
    }
    // PORTS: one port, or several separated by commas (one per instance).
    const std::vector<tcp::endpoint> endpoints = LoopbackEndpoints(argv[1]);
    std::string token;
    std::ifstream(argv[2]) >> token;
    const std::string db_path = argv[3];
    const int64_t members = std::stoll(argv[5]);
    const double seconds = argc > 6 ? std::stod(argv[6]) : 5.0;
    const int connections = argc > 7 ? std::stoi(argv[7]) : 64;
    security::InitCrypto();
    auto vault = security::FieldVault::Load(argv[4]);
    if (!vault.ok()) return 1;

    asio::io_context io;
    const auto& endpoint = endpoints;
    // The raw limits read the SQLite file directly; on PostgreSQL only the HTTP figures print.
    const bool sqlite_db = db_path.find("://") == std::string::npos;
    std::mt19937_64 rng(7);
    auto random_index = [&] { return static_cast<uint64_t>(rng() % static_cast<uint64_t>(members)); };
    auto random_name = [&] {
        std::mt19937_64 local(rng());
        return MakeSamplePerson(local, 0).name;
    };
    // First two characters of a generated name: a surname plus the start of a given name.
    auto name_prefix = [&] {
        std::string name = random_name();
        size_t second = 0, chars = 0;
        while (second < name.size() && chars < 2) {
            ++second;
            while (second < name.size() && (static_cast<unsigned char>(name[second]) & 0xC0) == 0x80) ++second;
            ++chars;
        }
        return name.substr(0, second);
    };

    sqlite3* raw = nullptr;
    if (sqlite_db) {
        sqlite3_open_v2(db_path.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr);
        sqlite3_exec(raw, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", nullptr, nullptr, nullptr);
    }
    auto bind_blob = [](sqlite3_stmt* s, int i, const std::string& v) {
        sqlite3_bind_blob(s, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    };

    std::cout << "storecrm member bench (" << (sqlite_db ? "SQLite" : "PostgreSQL") << ", " << endpoints.size()
              << " instance(s)): " << members << " members, " << connections << " keep-alive connections, "
              << seconds << " s per workload, client and server share this machine's cores\n";

    if (Wanted("GET /healthz")) {
        LoadRun run(io, endpoint, token, [] { return Request{bhttp::verb::get, "/healthz", ""}; }, connections, seconds);
        Figures f = run.Run();
        Print("GET /healthz", f, nullptr);
    }
    if (Wanted("search full phone")) {
        LoadRun run(io, endpoint, token, [&] {
            return Request{bhttp::verb::get, "/api/v1/members?q=" + DisplayPhone(SamplePhone(random_index())), ""};
        }, connections, seconds);
        Figures http = run.Run();
        Figures r = RawLoop(raw, "SELECT * FROM members WHERE phone_bidx = ?", [&](sqlite3_stmt* s) {
            bind_blob(s, 1, vault->BlindIndex("phone", SamplePhone(random_index())));
        }, seconds);
        Print("search full phone", http, &r);
    }
    if (Wanted("search last 4 (page of 20)")) {
        auto last4 = [&] {
            char buf[8];
            std::snprintf(buf, sizeof buf, "%04d", static_cast<int>(rng() % 10000));
            return std::string(buf);
        };
        LoadRun run(io, endpoint, token, [&] {
            return Request{bhttp::verb::get, "/api/v1/members?limit=20&q=" + last4(), ""};
        }, connections, seconds);
        Figures http = run.Run();
        Figures r = RawLoop(raw,
                            "SELECT * FROM members WHERE phone_last4_bidx = ? AND status = 'active' ORDER BY "
                            "created_at DESC, id DESC LIMIT 20",
                            [&](sqlite3_stmt* s) { bind_blob(s, 1, vault->BlindIndex("last4", last4())); }, seconds);
        Print("search last 4 (page of 20)", http, &r);
    }
    // The server's name lookup: best match first from the key index, then the 20 members.
    const char* kKeySql =
        "SELECT * FROM members WHERE id IN (SELECT k.member_id FROM member_search_keys k WHERE k.key >= ?1 AND "
        "k.key < ?2 AND k.status = 'active' AND NOT EXISTS (SELECT 1 FROM member_search_keys k2 WHERE k2.member_id "
        "= k.member_id AND k2.key >= ?1 AND k2.key < k.key) ORDER BY k.key, k.member_id LIMIT 20)";
    auto bind_key = [](sqlite3_stmt* s, const std::string& key) {
        const std::string upper = key + "\xF4\x8F\xBF\xBF";
        sqlite3_bind_text(s, 1, key.data(), static_cast<int>(key.size()), SQLITE_TRANSIENT);
        sqlite3_bind_text(s, 2, upper.data(), static_cast<int>(upper.size()), SQLITE_TRANSIENT);
    };
    if (Wanted("search name prefix")) {
        LoadRun run(io, endpoint, token, [&] {
            return Request{bhttp::verb::get, "/api/v1/members?limit=20&q=" + UrlEncode(name_prefix()), ""};
        }, connections, seconds);
        Figures http = run.Run();
        Figures r = RawLoop(raw, kKeySql, [&](sqlite3_stmt* s) { bind_key(s, FoldQuery(name_prefix())); }, seconds);
        Print("search name prefix", http, &r);
    }
    if (Wanted("search pinyin initials")) {
        LoadRun run(io, endpoint, token, [&] {
            return Request{bhttp::verb::get, "/api/v1/members?limit=20&q=" + ToPinyin(name_prefix()).initials, ""};
        }, connections, seconds);
        Figures http = run.Run();
        Figures r = RawLoop(raw, kKeySql, [&](sqlite3_stmt* s) { bind_key(s, ToPinyin(name_prefix()).initials); },
                            seconds);
        Print("search pinyin initials", http, &r);
    }
    if (Wanted("register member (POST)")) {
        uint64_t next = static_cast<uint64_t>(members) + 5000000u + (rng() % 1000000u) * 10u;
        LoadRun run(io, endpoint, token, [&] {
            return Request{bhttp::verb::post, "/api/v1/members",
                           R"({"name":"压测会员","phone":")" + DisplayPhone(SamplePhone(next++)) + "\"}"};
        }, connections, seconds);
        Figures http = run.Run();
        uint64_t raw_next = next + 1000000u;
        Figures r = RawLoop(raw,
                            "INSERT INTO members (member_no, name, phone_enc, phone_bidx, home_store_id, created_at, "
                            "updated_at) VALUES (?, 'raw', ?, ?, 1, 0, 0)",
                            [&](sqlite3_stmt* s) {
                                const std::string phone = SamplePhone(raw_next++);
                                const std::string no = "R" + std::to_string(raw_next);
                                sqlite3_bind_text(s, 1, no.data(), static_cast<int>(no.size()), SQLITE_TRANSIENT);
                                bind_blob(s, 2, vault->Encrypt(phone));
                                bind_blob(s, 3, vault->BlindIndex("phone", phone));
                            },
                            seconds);
        Print("register member (POST)", http, &r);
        if (raw) sqlite3_exec(raw, "DELETE FROM members WHERE name = 'raw'", nullptr, nullptr, nullptr);
    }
    sqlite3_close(raw);
    return 0;
}
