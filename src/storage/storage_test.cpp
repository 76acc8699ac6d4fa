#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include "common/embedded_files.hpp"
#include "storage/migrations.hpp"
#include "storage/sqlite_database.hpp"

namespace storecrm::storage {
namespace {

class StorageTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = std::filesystem::temp_directory_path() / ("storecrm-storage-" + std::to_string(::getpid()));
        std::filesystem::remove_all(dir_);
        path_ = (dir_ / "x.db").string();
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }
    std::filesystem::path dir_;
    std::string path_;
};

TEST_F(StorageTest, MigratesOnceAndReportsVersion) {
    auto db = OpenSqliteDatabase(path_, 2);
    ASSERT_TRUE(db.ok());
    auto first = Migrate(**db);
    ASSERT_TRUE(first.ok());
    EXPECT_GE(first->size(), 2u);
    auto second = Migrate(**db);
    ASSERT_TRUE(second.ok());
    EXPECT_TRUE(second->empty());
    EXPECT_EQ(*SchemaVersion(**db), static_cast<int>(first->size()));
}

// Migration 0013 on a ledger that still holds complaint compensation in the old two-language
// wording: those rows get the reason code the server writes now; other reasons stay.
TEST_F(StorageTest, CompensationReasonMigrationRewritesOnlyOldComplaintRows) {
    {
        auto db = OpenSqliteDatabase(path_, 1);
        ASSERT_TRUE(db.ok());
        ASSERT_TRUE(Migrate(**db).ok());
    }
    std::string migration;
    for (const auto& file : embedded::Migrations()) {
        if (file.path == "/sqlite/0013_compensation_reason.sql") migration = std::string(file.data);
    }
    ASSERT_FALSE(migration.empty());
    sqlite3* raw = nullptr;  // foreign keys off: a ledger row without its member is enough here
    ASSERT_EQ(sqlite3_open(path_.c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw,
                           "INSERT INTO points_ledger (member_id, delta, balance_after, kind, reason, source_type, "
                           "source_id, created_at) VALUES (1, 50, 50, 'adjust', '投诉补偿 complaint #7', 'complaint', 7, "
                           "0), (1, 5, 55, 'adjust', '投诉补偿 by hand', '', NULL, 0)",
                           nullptr, nullptr, nullptr),
              SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw, migration.c_str(), nullptr, nullptr, nullptr), SQLITE_OK);
    std::vector<std::string> reasons;
    ASSERT_EQ(sqlite3_exec(
                  raw, "SELECT reason FROM points_ledger ORDER BY id",
                  [](void* out, int, char** values, char**) {
                      static_cast<std::vector<std::string>*>(out)->emplace_back(values[0]);
                      return 0;
                  },
                  &reasons, nullptr),
              SQLITE_OK);
    sqlite3_close(raw);
    EXPECT_EQ(reasons, (std::vector<std::string>{"complaint.compensation", "投诉补偿 by hand"}));
}

TEST_F(StorageTest, WalAndFullSynchronous) {
    auto db = OpenSqliteDatabase(path_, 1);
    ASSERT_TRUE(db.ok());
    auto tx = (*db)->Begin(TxMode::kRead);
    ASSERT_TRUE(tx.ok());
    EXPECT_EQ((*(*tx)->QueryOne("PRAGMA journal_mode"))->Text(0), "wal");
    EXPECT_EQ((*(*tx)->QueryOne("PRAGMA synchronous"))->Int(0), 2);  // FULL
    EXPECT_EQ((*(*tx)->QueryOne("PRAGMA foreign_keys"))->Int(0), 1);
}

TEST_F(StorageTest, UncommittedWritesRollBack) {
    auto db = OpenSqliteDatabase(path_, 1);
    ASSERT_TRUE(Migrate(**db).ok());
    {
        auto tx = (*db)->Begin(TxMode::kWrite);
        ASSERT_TRUE((*tx)->Exec("INSERT INTO sequences (name, value) VALUES ('x', 1)").ok());
    }  // no commit
    auto tx = (*db)->Begin(TxMode::kRead);
    EXPECT_EQ((*(*tx)->QueryOne("SELECT COUNT(*) FROM sequences WHERE name = 'x'"))->Int(0), 0);
}

TEST_F(StorageTest, WriterHeldByAnotherProcessYieldsBusyNotInternal) {
    auto db = OpenSqliteDatabase(path_, 1, 200);
    ASSERT_TRUE(Migrate(**db).ok());
    sqlite3* other = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &other), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
    auto tx = (*db)->Begin(TxMode::kWrite);
    ASSERT_FALSE(tx.ok());
    EXPECT_EQ(tx.error().code, ErrorCode::kBusy);
    EXPECT_EQ(HttpStatusFor(tx.error().code), 503);
    sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(other);
    EXPECT_TRUE((*db)->Begin(TxMode::kWrite).ok());
}

TEST_F(StorageTest, UniqueViolationIsAConflict) {
    auto db = OpenSqliteDatabase(path_, 1);
    ASSERT_TRUE(Migrate(**db).ok());
    auto tx = (*db)->Begin(TxMode::kWrite);
    ASSERT_TRUE((*tx)->Exec("INSERT INTO sequences (name, value) VALUES ('x', 1)").ok());
    auto again = (*tx)->Exec("INSERT INTO sequences (name, value) VALUES ('x', 2)");
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().code, ErrorCode::kConflict);
}

// Many threads writing at once share commits; each commit or rollback still stands alone:
// every committed row is there, no rolled-back or failed one is, and after Commit() returned
// a fresh reader sees the row (it is committed, not just queued).
TEST_F(StorageTest, ConcurrentWritersShareCommitsButSucceedOrFailAlone) {
    auto db = OpenSqliteDatabase(path_, 4);
    ASSERT_TRUE(Migrate(**db).ok());
    constexpr int kThreads = 8, kEach = 60;
    std::atomic<int> committed{0}, failures{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < kEach; ++i) {
                const std::string name = "g" + std::to_string(t) + "_" + std::to_string(i);
                auto tx = (*db)->Begin(TxMode::kWrite);
                if (!tx.ok()) {
                    ++failures;
                    continue;
                }
                if (!(*tx)->Exec("INSERT INTO sequences (name, value) VALUES (?, 1)", {name}).ok()) ++failures;
                if (i % 5 == 4) {  // a failing statement: the transaction is abandoned
                    EXPECT_FALSE((*tx)->Exec("INSERT INTO sequences (name, value) VALUES (?, 1)", {name}).ok());
                    continue;
                }
                if (i % 7 == 6) continue;  // rolled back by going out of scope
                if (!(*tx)->Commit().ok()) {
                    ++failures;
                    continue;
                }
                ++committed;
                auto check = (*db)->Begin(TxMode::kRead);
                auto seen = (*check)->QueryOne("SELECT COUNT(*) FROM sequences WHERE name = ?", {name});
                if (!seen.ok() || (**seen).Int(0) != 1) ++failures;
            }
        });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(failures.load(), 0);
    auto tx = (*db)->Begin(TxMode::kRead);
    EXPECT_EQ((*(*tx)->QueryOne("SELECT COUNT(*) FROM sequences WHERE name LIKE 'g%'"))->Int(0), committed.load());
    int expected = 0;
    for (int i = 0; i < kEach; ++i) expected += (i % 5 == 4 || i % 7 == 6) ? 0 : 1;
    EXPECT_EQ(committed.load(), expected * kThreads);
}

}  // namespace
}  // namespace storecrm::storage
