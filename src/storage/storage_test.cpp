#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>

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

}  // namespace
}  // namespace storecrm::storage
