#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "http/body_reader.hpp"
#include "http/paging.hpp"
#include "http/router.hpp"

namespace storecrm::http {
namespace {

Request WithBody(std::string body) {
    Request r;
    r.body = std::move(body);
    return r;
}

TEST(RouterTest, MatchesLiteralBeforeParameter) {
    Router router;
    router.Add({.method = "GET", .pattern = "/api/v1/members/{id}", .summary = "one"});
    router.Add({.method = "GET", .pattern = "/api/v1/members/duplicates", .summary = "dups"});
    auto m = router.Find("GET", "/api/v1/members/duplicates");
    ASSERT_NE(m.route, nullptr);
    EXPECT_EQ(m.route->summary, "dups");
    m = router.Find("GET", "/api/v1/members/42");
    ASSERT_NE(m.route, nullptr);
    EXPECT_EQ(m.route->summary, "one");
    EXPECT_EQ(m.params["id"], "42");
    m = router.Find("DELETE", "/api/v1/members/42");
    EXPECT_EQ(m.route, nullptr);
    EXPECT_TRUE(m.path_matched);
    EXPECT_EQ(router.Find("GET", "/api/v1/nothing").route, nullptr);
}

TEST(RouterTest, OpenApiListsEveryRouteWithItsPermission) {
    Router router;
    router.Add({.method = "POST", .pattern = "/api/v1/members", .permission = "members.create", .summary = "create"});
    auto doc = nlohmann::json::parse(router.OpenApiJson());
    EXPECT_EQ(doc["openapi"], "3.0.3");
    EXPECT_EQ(doc["paths"]["/api/v1/members"]["post"]["x-permission"], "members.create");
}

TEST(BodyReaderTest, ReportsTypesMissingAndUnknownFieldsTogether) {
    auto body = BodyReader::Parse(WithBody(R"({"name": 5, "extra": true})"));
    ASSERT_TRUE(body.ok());
    body->Text("name", {.required = true});
    body->Text("phone", {.required = true});
    auto status = body->Finish();
    ASSERT_FALSE(status.ok());
    const auto& fields = status.error().fields;
    ASSERT_EQ(fields.size(), 3u);
    EXPECT_EQ(fields[0].field, "name");
    EXPECT_EQ(fields[0].message.key, "field.must_be_string");
    EXPECT_EQ(fields[1].field, "phone");
    EXPECT_EQ(fields[1].message.key, "field.required");
    EXPECT_EQ(fields[2].field, "extra");
    EXPECT_EQ(fields[2].message.key, "field.unknown");
}

TEST(BodyReaderTest, RejectsMarkupQuotesAndControlCharacters) {
    for (const char* bad : {R"({"name":"<script>"})", R"({"name":"a'; DROP TABLE members; --"})",
                            R"({"name":"tab\tname"})"}) {
        auto body = BodyReader::Parse(WithBody(bad));
        ASSERT_TRUE(body.ok());
        EXPECT_FALSE(body->Text("name").has_value()) << bad;
        EXPECT_FALSE(body->Finish().ok()) << bad;
    }
    auto notes = BodyReader::Parse(WithBody(R"({"notes":"第一行\n第二行"})"));
    EXPECT_EQ(notes->Text("notes", {.multiline = true}).value(), "第一行\n第二行");
}

TEST(BodyReaderTest, InvalidJsonAndUtf8AreDistinguished) {
    auto bad = BodyReader::Parse(WithBody("{nope"));
    ASSERT_FALSE(bad.ok());
    EXPECT_EQ(bad.error().code, ErrorCode::kInvalidJson);
    auto utf8 = BodyReader::Parse(WithBody("{\"name\":\"\xff\xfe\"}"));
    ASSERT_FALSE(utf8.ok());
    EXPECT_EQ(utf8.error().message.key, "error.invalid_utf8");
    auto array = BodyReader::Parse(WithBody("[1,2]"));
    ASSERT_FALSE(array.ok());
    EXPECT_EQ(array.error().fields.front().message.key, "field.must_be_object");
}

TEST(BodyReaderTest, CountsCharactersNotBytes) {
    auto body = BodyReader::Parse(WithBody(R"({"name":"张三丰"})"));
    EXPECT_EQ(body->Text("name", {.max_chars = 3}).value(), "张三丰");
    auto longer = BodyReader::Parse(WithBody(R"({"name":"张三丰丰"})"));
    EXPECT_FALSE(longer->Text("name", {.max_chars = 3}).has_value());
}

TEST(PagingTest, CursorRoundTripsAndRejectsGarbage) {
    Request r;
    auto first = ReadPage(r);
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(first->limit, 20);
    const std::string next = first->NextCursor(45);
    ASSERT_FALSE(next.empty());
    r.query = {{"cursor", next}, {"limit", "20"}};
    auto second = ReadPage(r);
    ASSERT_TRUE(second.ok());
    EXPECT_EQ(second->offset, 20);
    EXPECT_EQ(second->NextCursor(40), "");
    r.query = {{"cursor", "garbage!"}};
    EXPECT_FALSE(ReadPage(r).ok());
    r.query = {{"limit", "0"}};
    EXPECT_FALSE(ReadPage(r).ok());
}

TEST(QueryStringTest, DecodesPercentAndPlus) {
    auto q = ParseQueryString("q=%E5%BC%A0%E4%B8%89&x=a+b&flag");
    ASSERT_EQ(q.size(), 3u);
    EXPECT_EQ(q[0].second, "张三");
    EXPECT_EQ(q[1].second, "a b");
    EXPECT_EQ(q[2].first, "flag");
}

TEST(RequestTest, ReadsCookies) {
    Request r;
    r.headers["cookie"] = "a=1; storecrm_session=abc; b=2";
    EXPECT_EQ(r.Cookie("storecrm_session"), "abc");
    EXPECT_EQ(r.Cookie("missing"), "");
}

}  // namespace
}  // namespace storecrm::http
