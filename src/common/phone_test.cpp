#include "common/phone.hpp"

#include <gtest/gtest.h>

namespace storecrm {
namespace {

TEST(PhoneTest, NormalisesMainlandMobilesInEveryCommonSpelling) {
    for (const char* input : {"13812345678", "138 1234 5678", "138-1234-5678", "+86 138 1234 5678", "+86-13812345678",
                              "0086 13812345678", "8613812345678", "(138) 1234 5678"}) {
        auto phone = NormalizePhone(input);
        ASSERT_TRUE(phone.has_value()) << input;
        EXPECT_EQ(*phone, "+8613812345678") << input;
    }
}

TEST(PhoneTest, AcceptsOtherCountriesInE164) {
    EXPECT_EQ(NormalizePhone("+44 7911 123456").value(), "+447911123456");
    EXPECT_EQ(NormalizePhone("+852 9123 4567").value(), "+85291234567");
}

TEST(PhoneTest, RejectsWhatIsNotAPhone) {
    for (const char* input : {"", "abc", "1381234567", "138123456789", "12812345678", "+86 12812345678", "+12",
                              "+1234567890123456", "138-1234-567x", "5678", "+0123456789"}) {
        EXPECT_FALSE(NormalizePhone(input).has_value()) << input;
    }
}

TEST(PhoneTest, DisplaysLast4AndMasks) {
    EXPECT_EQ(DisplayPhone("+8613812345678"), "13812345678");
    EXPECT_EQ(DisplayPhone("+447911123456"), "+447911123456");
    EXPECT_EQ(PhoneLast4("+8613812345678"), "5678");
    EXPECT_EQ(MaskPhone("+8613812345678"), "138****5678");
    EXPECT_EQ(MaskPhone("+447911123456"), "+44******3456");
}

TEST(PhoneTest, Emails) {
    EXPECT_TRUE(IsValidEmail("zhang.san@example.com"));
    EXPECT_TRUE(IsValidEmail("a+b@mail.example.cn"));
    for (const char* bad : {"", "a@", "@b.com", "a b@c.com", "a@b", "a@@b.com", "a@b..com", "a@.com", "<a@b.com>"}) {
        EXPECT_FALSE(IsValidEmail(bad)) << bad;
    }
    EXPECT_EQ(NormalizeEmail("  ZS@Example.COM "), "zs@example.com");
    EXPECT_EQ(MaskEmail("zhang.san@example.com"), "z***@example.com");
}

TEST(PhoneTest, MaskTextNeverSplitsACharacter) {
    EXPECT_EQ(MaskText("上海市黄浦区南京东路", 3), "上海市****");
    EXPECT_EQ(MaskText("ab", 3), "ab****");
    EXPECT_EQ(MaskText("", 3), "");
}

TEST(PhoneTest, Dates) {
    EXPECT_TRUE(IsValidDate("1990-05-12"));
    EXPECT_TRUE(IsValidDate("2024-02-29"));
    EXPECT_FALSE(IsValidDate("2023-02-29"));
    EXPECT_FALSE(IsValidDate("2023-02-30"));
    EXPECT_FALSE(IsValidDate("1899-12-31"));
    EXPECT_FALSE(IsValidDate("1990-13-01"));
    EXPECT_FALSE(IsValidDate("1990/05/12"));
    EXPECT_FALSE(IsValidDate("1990-5-12"));
}

}  // namespace
}  // namespace storecrm

#include "common/csv.hpp"
#include "common/money.hpp"

namespace storecrm {
namespace {

TEST(CsvTest, ParsesQuotesBomAndLineEnds) {
    auto rows = ParseCsv("\xEF\xBB\xBFsku,name,price\r\nA1,\"T恤, 白\",\"12\"\"3\"\nB2,,100\n");
    ASSERT_TRUE(rows.has_value());
    ASSERT_EQ(rows->size(), 3u);
    EXPECT_EQ((*rows)[0], (CsvRow{"sku", "name", "price"}));
    EXPECT_EQ((*rows)[1], (CsvRow{"A1", "T恤, 白", "12\"3"}));
    EXPECT_EQ((*rows)[2], (CsvRow{"B2", "", "100"}));
    EXPECT_FALSE(ParseCsv("a,\"open").has_value());
}

TEST(MoneyTest, FormatsFenAsYuan) {
    EXPECT_EQ(FormatYuan(12345), "123.45");
    EXPECT_EQ(FormatYuan(5), "0.05");
    EXPECT_EQ(FormatYuan(-50), "-0.50");
}

}  // namespace
}  // namespace storecrm
