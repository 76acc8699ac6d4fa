#include "common/messages.hpp"

#include <gtest/gtest.h>

namespace storecrm {
namespace {

TEST(MessagesTest, EveryKeyHasBothLanguages) {
    for (const auto& key : AllMessageKeys()) {
        const std::string zh = Render(key, Locale::kZhCN);
        const std::string en = Render(key, Locale::kEn);
        EXPECT_NE(zh, key) << key;
        EXPECT_NE(en, key) << key;
        EXPECT_NE(zh, en) << key << " is not translated";
    }
}

TEST(MessagesTest, SubstitutesArguments) {
    Message m{"field.too_long", {{"max", "64"}}};
    EXPECT_EQ(Render(m, Locale::kEn), "At most 64 characters");
    EXPECT_EQ(Render(m, Locale::kZhCN), "不能超过 64 个字符");
}

TEST(MessagesTest, ParsesAcceptLanguage) {
    EXPECT_EQ(ParseLocale(""), Locale::kZhCN);
    EXPECT_EQ(ParseLocale("en"), Locale::kEn);
    EXPECT_EQ(ParseLocale("en-US,en;q=0.9,zh-CN;q=0.8"), Locale::kEn);
    EXPECT_EQ(ParseLocale("zh-CN,zh;q=0.9,en;q=0.8"), Locale::kZhCN);
    EXPECT_EQ(ParseLocale("EN-gb"), Locale::kEn);
}

TEST(MessagesTest, UnknownKeyRendersAsItself) {
    EXPECT_FALSE(HasMessage("no.such.key"));
    EXPECT_EQ(Render("no.such.key", Locale::kEn), "no.such.key");
}

}  // namespace
}  // namespace storecrm
