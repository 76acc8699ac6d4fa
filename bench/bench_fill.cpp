// Fills a storecrm database with N generated members in one store (member i has the phone
// SamplePhone(i)), plus a cashier-scoped API token written to TOKEN_FILE for the HTTP bench.
// Usage: bench_fill DB KEY_FILE N TOKEN_FILE
#include <chrono>
#include <fstream>
#include <iostream>
#include <random>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/sample_people.hpp"
#include "members/member_repository.hpp"
#include "security/crypto.hpp"
#include "storage/database.hpp"
#include "storage/migrations.hpp"

using namespace storecrm;

int main(int argc, char** argv) {
    if (argc != 5) {
        std::cerr << "usage: bench_fill DB KEY_FILE N TOKEN_FILE\n";
        return 2;
    }
    const std::string db_path = argv[1], key_file = argv[2], token_file = argv[4];
    const int64_t target = std::stoll(argv[3]);
    security::InitCrypto();
    auto vault = security::FieldVault::Load(key_file);
    auto db = storage::OpenDatabase(db_path, 1);
    if (!vault.ok() || !db.ok() || !storage::Migrate(**db).ok()) {
        std::cerr << "cannot open " << db_path << "\n";
        return 1;
    }
    auto& database = **db;
    int64_t existing = 0, store_id = 0;
    {
        auto tx = database.Begin(storage::TxMode::kWrite);
        auto count = (*tx)->QueryOne("SELECT COUNT(*) FROM members");
        existing = (**count).Int(0);
        auto store = (*tx)->QueryOne("SELECT id FROM stores WHERE code = 'BENCH'");
        if (store->has_value()) {
            store_id = (**store).Int(0);
        } else {
            auto row = (*tx)->QueryOne(
                "INSERT INTO stores (code, name, type, region, created_at, updated_at) VALUES ('BENCH', '压测门店', "
                "'direct', '华东', ?, ?) RETURNING id",
                {NowUnix(), NowUnix()});
            store_id = (**row).Int(0);
        }
        // A cashier-like token: finds and registers members, never sees full personal data,
        // so searches measure lookup cost rather than audit writes.
        const std::string token = "sct_" + security::RandomToken();
        (void)(*tx)->Exec(
            "INSERT INTO api_tokens (name, token_hash, token_prefix, store_id, permissions, created_at) VALUES "
            "('bench', ?, ?, ?, '[\"members.read\",\"members.create\"]', ?)",
            {security::HashToken(token), token.substr(0, 8), store_id, NowUnix()});
        (void)(*tx)->Commit();
        std::ofstream(token_file) << token;
    }
    if (existing >= target) {
        std::cout << "bench_fill: " << existing << " members already present\n";
        (void)database.RefreshStatistics();
        return 0;
    }
    security::Principal system;
    system.kind = security::Principal::Kind::kSystem;
    system.name = "bench";
    std::mt19937_64 rng(42);
    const auto start = std::chrono::steady_clock::now();
    const int64_t batch = 20000;
    for (int64_t i = existing; i < target;) {
        auto tx = database.Begin(storage::TxMode::kWrite);
        if (!tx.ok()) return 1;
        members::MemberRepository repo(**tx, *vault);
        for (int64_t end = std::min(target, i + batch); i < end; ++i) {
            SamplePerson p = MakeSamplePerson(rng, static_cast<uint64_t>(i));
            members::MemberRecord m;
            m.name = p.name;
            m.gender = p.gender;
            m.phone = p.phone;
            m.birthday = p.birthday;
            m.home_store_id = store_id;
            if (auto s = repo.Insert(m, system); !s.ok()) {
                std::cerr << "insert failed: " << s.error().internal_detail << "\n";
                return 1;
            }
        }
        if (!(*tx)->Commit().ok()) return 1;
        if (i % 100000 == 0 || i == target) {
            const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            std::cout << "bench_fill: " << i << " members (" << static_cast<int64_t>((i - existing) / s) << "/s)\n"
                      << std::flush;
        }
    }
    // Members registered over the past years, not 7,000 in the same second: lists ordered by
    // registration (last-4, filters) then read like a real chain's, without ties to sort out.
    {
        auto tx = database.Begin(storage::TxMode::kWrite);
        if (!tx.ok()) return 1;
        const int64_t now = NowUnix();
        auto spread = (*tx)->Exec(
            "UPDATE members SET created_at = ? - ((SELECT MAX(id) FROM members) - id) * 90, updated_at = ? - "
            "((SELECT MAX(id) FROM members) - id) * 90 WHERE id > (SELECT MAX(id) FROM members) - ?",
            {now, now, target - existing});
        if (!spread.ok() || !(*tx)->Commit().ok()) return 1;
    }
    if (!database.RefreshStatistics().ok()) return 1;
    return 0;
}
