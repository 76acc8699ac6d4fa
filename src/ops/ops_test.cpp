#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "ops/backups.hpp"

namespace storecrm::ops {
namespace {

namespace fs = std::filesystem;

// A backup folder with files named for the given UTC times (the rule reads only names).
fs::path FolderWith(const std::vector<std::string>& stamps) {
    fs::path dir = fs::temp_directory_path() / ("storecrm-retention-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    for (const auto& stamp : stamps) std::ofstream(dir / ("storecrm-" + stamp + ".db")) << "x";
    std::ofstream(dir / "notes.txt") << "not a backup";
    return dir;
}

std::vector<std::string> Kept(const std::vector<BackupFile>& files, const std::string& tag) {
    std::vector<std::string> out;
    for (const auto& f : files) {
        if (std::find(f.keep.begin(), f.keep.end(), tag) != f.keep.end()) out.push_back(f.name.substr(9, 15));
    }
    return out;
}

TEST(BackupRetention, KeepsTheNewestOfEachRecentDayWeekAndMonth) {
    // Two a day on 2026-11-27/28/29 (a Sunday), one on Mon 2026-11-23, one in October.
    auto dir = FolderWith({"20261129-030000", "20261129-150000", "20261128-030000", "20261128-150000",
                           "20261127-030000", "20261123-030000", "20261015-030000"});
    BackupSettings rule{.daily = 2, .weekly = 2, .monthly = 2};
    auto files = ListBackups({.db_url = "x.db", .directory = dir.string()}, rule);
    ASSERT_TRUE(files.ok());
    ASSERT_EQ(files->size(), 7u);  // notes.txt is not a backup
    EXPECT_EQ(files->front().name, "storecrm-20261129-150000.db");  // newest first
    EXPECT_EQ(Kept(*files, "daily"), (std::vector<std::string>{"20261129-150000", "20261128-150000"}));
    // ISO weeks: 23–29 Nov is one week; the newest backup of the week before is 16–22 Nov: none,
    // so the second kept week is October's.
    EXPECT_EQ(Kept(*files, "weekly"), (std::vector<std::string>{"20261129-150000", "20261015-030000"}));
    EXPECT_EQ(Kept(*files, "monthly"), (std::vector<std::string>{"20261129-150000", "20261015-030000"}));

    auto pruned = PruneBackups({.db_url = "x.db", .directory = dir.string()}, rule);
    ASSERT_TRUE(pruned.ok());
    EXPECT_EQ(*pruned, (std::vector<std::string>{"storecrm-20261129-030000.db", "storecrm-20261128-030000.db",
                                                 "storecrm-20261127-030000.db", "storecrm-20261123-030000.db"}));
    EXPECT_TRUE(fs::exists(dir / "notes.txt"));
    EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 4);
    fs::remove_all(dir);
}

TEST(BackupRetention, IsoWeeksCrossTheNewYear) {
    // 2026-01-01 is a Thursday: Mon 2025-12-29 to Sun 2026-01-04 is week 2026-W01.
    auto dir = FolderWith({"20260104-120000", "20251229-120000", "20251228-120000"});
    auto files = ListBackups({.db_url = "x.db", .directory = dir.string()}, {.daily = 1, .weekly = 2, .monthly = 0});
    ASSERT_TRUE(files.ok());
    EXPECT_EQ(Kept(*files, "weekly"), (std::vector<std::string>{"20260104-120000", "20251228-120000"}));
    fs::remove_all(dir);
}

TEST(BackupPaths, DefaultsSitBesideTheDatabase) {
    EXPECT_EQ(DefaultBackupDirectory("data/shop.db"), "data/backups");
    EXPECT_EQ(DefaultBackupDirectory("postgresql://u@h/db"), "./data/backups");
    EXPECT_EQ(DefaultErasureJournal("data/shop.db"), "data/shop.db.erasures");
}

}  // namespace
}  // namespace storecrm::ops
