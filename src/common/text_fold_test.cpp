#include "common/text_fold.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <atomic>
#include <iostream>
#include <thread>

namespace storecrm {
namespace {

bool Contains(const std::vector<std::string>& keys, const std::string& key) {
    return std::find(keys.begin(), keys.end(), key) != keys.end();
}

TEST(TextFoldTest, TraditionalAndSimplifiedFoldAlike) {
    EXPECT_EQ(FoldText("張三豐"), "张三丰");
    EXPECT_EQ(FoldText("张三丰"), "张三丰");
    EXPECT_EQ(FoldText("劉德華"), "刘德华");
}

TEST(TextFoldTest, FullWidthCaseAndWhitespace) {
    EXPECT_EQ(FoldText("ＺＨＡＮＧ "), "zhang");
    EXPECT_EQ(FoldText("  John   SMITH "), "john smith");
    EXPECT_EQ(FoldText(""), "");
}

TEST(TextFoldTest, PinyinFullAndInitials) {
    auto p = ToPinyin("张三");
    EXPECT_EQ(p.full, "zhangsan");
    EXPECT_EQ(p.initials, "zs");
    ASSERT_EQ(p.syllables.size(), 2u);
    EXPECT_EQ(p.syllables[0], "zhang");
    EXPECT_EQ(ToPinyin("張三豐").full, ToPinyin("张三丰").full);
    EXPECT_EQ(ToPinyin("李晓明").initials, "lxm");
}

TEST(TextFoldTest, PolyphonicSurnamesReadAsSurnames) {
    EXPECT_EQ(ToPinyin("曾小贤").syllables.front(), "zeng");
    EXPECT_EQ(ToPinyin("单田芳").syllables.front(), "shan");
    EXPECT_EQ(ToPinyin("解晓东").syllables.front(), "xie");
    EXPECT_EQ(ToPinyin("仇英").syllables.front(), "qiu");
}

TEST(TextFoldTest, LatinWordsStayWords) {
    auto p = ToPinyin("John Smith");
    EXPECT_EQ(p.full, "johnsmith");
    EXPECT_EQ(p.initials, "js");
}

TEST(TextFoldTest, SearchKeysCoverSubstringPinyinAndInitials) {
    auto keys = NameSearchKeys("张三丰");
    for (const char* k : {"张三丰", "三丰", "丰", "zhangsanfeng", "sanfeng", "feng", "zsf"}) {
        EXPECT_TRUE(Contains(keys, k)) << k;
    }
    EXPECT_EQ(keys.size(), 7u);
    EXPECT_FALSE(Contains(keys, ""));
    // Traditional input yields the simplified keys, so either script finds it.
    EXPECT_EQ(NameSearchKeys("張三豐"), keys);
}

TEST(TextFoldTest, QueriesFoldLikeKeys) {
    EXPECT_EQ(FoldQuery("Zhang San"), "zhangsan");
    EXPECT_EQ(FoldQuery("張三"), "张三");
    EXPECT_EQ(FoldQuery("ZS"), "zs");
}

TEST(TextFoldTest, Utf8Validation) {
    EXPECT_TRUE(IsValidUtf8("张三 abc"));
    EXPECT_FALSE(IsValidUtf8("\xff\xfe"));
    EXPECT_FALSE(IsValidUtf8("\xe5\xbc"));  // truncated
}

TEST(TextFoldTest, ConcurrentCallersGetTheSamePinyin) {
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 200; ++i) {
                if (ToPinyin("張三豐").full != "zhangsanfeng") ++failures;
            }
        });
    }
    for (auto& t : threads) t.join();
    EXPECT_EQ(failures.load(), 0);
}

TEST(TextFoldTest, KeysAreCheapEnoughForBulkLoads) {
    (void)NameSearchKeys("王小明");
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 10000; ++i) (void)NameSearchKeys(i % 2 ? "王小明" : "李晓红");
    const double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count() / 10000;
    RecordProperty("name_search_keys_us", std::to_string(us));
    std::cout << "NameSearchKeys: " << us << " us per name\n";
    EXPECT_GT(us, 0);
}

}  // namespace
}  // namespace storecrm
