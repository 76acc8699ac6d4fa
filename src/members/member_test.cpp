#include "members/member.hpp"

#include <gtest/gtest.h>

namespace storecrm::members {
namespace {

MemberRecord Sample(int64_t id, std::string name, std::string phone) {
    MemberRecord r;
    r.id = id;
    r.member_no = "M0000000" + std::to_string(id);
    r.name = std::move(name);
    r.phone = std::move(phone);
    r.home_store_id = 1;
    r.version = 3;
    return r;
}

TEST(MemberTest, SurvivorKeepsItsValuesByDefault) {
    MemberRecord a = Sample(1, "张三", "+8613800000001");
    MemberRecord b = Sample(2, "張三", "+8613800000002");
    MemberRecord merged = ApplySurvivorship(a, b, {});
    EXPECT_EQ(merged.name, "张三");
    EXPECT_EQ(merged.phone, "+8613800000001");
    EXPECT_EQ(merged.id, 1);
    EXPECT_EQ(merged.member_no, a.member_no);
    EXPECT_EQ(merged.version, 3);
}

TEST(MemberTest, OtherFillsEmptyFieldsOfSurvivor) {
    MemberRecord a = Sample(1, "张三", "+8613800000001");
    MemberRecord b = Sample(2, "张三", "+8613800000002");
    b.email = "zs@example.com";
    b.birthday = "1990-05-12";
    b.guide_id = 7;
    MemberRecord merged = ApplySurvivorship(a, b, {});
    EXPECT_EQ(merged.email, "zs@example.com");
    EXPECT_EQ(merged.birthday, "1990-05-12");
    ASSERT_TRUE(merged.guide_id.has_value());
    EXPECT_EQ(*merged.guide_id, 7);
}

TEST(MemberTest, ChoiceOtherTakesTheOtherValueEvenWhenEmpty) {
    MemberRecord a = Sample(1, "张三", "+8613800000001");
    a.email = "old@example.com";
    MemberRecord b = Sample(2, "张叁", "+8613800000002");
    MemberRecord merged = ApplySurvivorship(a, b, {{"phone", "other"}, {"name", "other"}, {"email", "other"}});
    EXPECT_EQ(merged.phone, "+8613800000002");
    EXPECT_EQ(merged.name, "张叁");
    EXPECT_EQ(merged.email, "");
}

TEST(MemberTest, ChoiceSurvivorKeepsEmptyValue) {
    MemberRecord a = Sample(1, "张三", "+8613800000001");
    MemberRecord b = Sample(2, "张三", "+8613800000002");
    b.company = "ACME";
    MemberRecord merged = ApplySurvivorship(a, b, {{"company", "survivor"}});
    EXPECT_EQ(merged.company, "");
}

TEST(MemberTest, NotesOfBothAreKept) {
    MemberRecord a = Sample(1, "张三", "+8613800000001");
    MemberRecord b = Sample(2, "张三", "+8613800000002");
    a.notes = "喜欢红色";
    b.notes = "对花生过敏";
    EXPECT_EQ(ApplySurvivorship(a, b, {}).notes, "喜欢红色\n对花生过敏");
}

TEST(MemberTest, DiffListsChangedFieldsOnly) {
    MemberRecord a = Sample(1, "张三", "+8613800000001");
    MemberRecord b = a;
    b.name = "张三丰";
    b.referrer_id = 9;
    auto changes = Diff(a, b);
    ASSERT_EQ(changes.size(), 2u);
    EXPECT_EQ(changes[0].field, "name");
    EXPECT_EQ(changes[0].old_value, "张三");
    EXPECT_EQ(changes[0].new_value, "张三丰");
    EXPECT_EQ(changes[1].field, "referrer_id");
    EXPECT_EQ(changes[1].old_value, "");
    EXPECT_EQ(changes[1].new_value, "9");
}

TEST(MemberTest, PersonalFields) {
    for (const char* f : {"phone", "email", "address", "birthday", "wechat_id"}) EXPECT_TRUE(IsPersonalField(f)) << f;
    for (const char* f : {"name", "notes", "category", "company"}) EXPECT_FALSE(IsPersonalField(f)) << f;
}

TEST(MemberTest, MaskBirthdayKeepsOnlyTheMonth) {
    EXPECT_EQ(MaskBirthday("1990-05-12"), "****-05-**");
    EXPECT_EQ(MaskBirthday(""), "");
}

}  // namespace
}  // namespace storecrm::members
