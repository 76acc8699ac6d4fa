// GET /analytics/rfm: the 5 × 5 R × F grid, the named classes, the quintile cut points;
// GET /analytics/rfm/members: drill into a cell or class. Limited to the caller's stores.
#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "analytics/report_query.hpp"
#include "analytics/rfm.hpp"
#include "analytics/routes.hpp"
#include "common/clock.hpp"
#include "http/json_response.hpp"
#include "http/paging.hpp"
#include "http/services.hpp"

namespace storecrm::analytics {
namespace {

using http::RequestContext;
using nlohmann::json;

Result<RfmQuery> ReadRfmQuery(RequestContext& ctx) { return ReadPeriod(ctx, 365); }

Result<RfmResult> Run(RequestContext& ctx, const RfmQuery& q) {
    STORECRM_TRY(EnsureCurrent(ctx));
    return ctx.services.analytics->Read([&](const SalesColumns& c) { return ComputeRfm(c, q); });
}

Result<http::Response> Rfm(RequestContext& ctx) {
    auto q = ReadRfmQuery(ctx);
    if (!q.ok()) return q.take_error();
    const int64_t started = NowUnixMillis();
    auto result = Run(ctx, *q);
    if (!result.ok()) return result.take_error();
    json grid = json::array();
    std::map<std::string, std::pair<int64_t, int64_t>> classes;
    for (uint8_t r = 5; r >= 1; --r) {
        for (uint8_t f = 1; f <= 5; ++f) {
            const auto& cell = result->grid[r - 1][f - 1];
            const char* name = RfmClass(r, f);
            grid.push_back({{"r", r}, {"f", f}, {"members", cell.members}, {"revenue", cell.revenue}, {"class", name}});
            classes[name].first += cell.members;
            classes[name].second += cell.revenue;
        }
    }
    json class_rows = json::array();
    for (const auto& name : RfmClasses()) {
        class_rows.push_back({{"class", name}, {"members", classes[name].first}, {"revenue", classes[name].second}});
    }
    if (WantsExport(ctx)) {
        std::vector<CsvRow> rows = {{"r", "f", "class", "members", "revenue_fen"}};
        for (const auto& cell : grid) {
            rows.push_back({std::to_string(cell["r"].get<int>()), std::to_string(cell["f"].get<int>()),
                            cell["class"].get<std::string>(), std::to_string(cell["members"].get<int64_t>()),
                            std::to_string(cell["revenue"].get<int64_t>())});
        }
        return ExportRows(ctx, "rfm", rows);
    }
    auto cuts = [](const std::array<double, 4>& c) { return json::array({c[0], c[1], c[2], c[3]}); };
    return http::JsonOk({{"from", DayText(q->from_day)},
                         {"to", DayText(q->to_day)},
                         {"members", result->members.size()},
                         {"grid", grid},
                         {"classes", class_rows},
                         {"cuts", {{"recency_days", cuts(result->recency_cuts)},
                                   {"frequency", cuts(result->frequency_cuts)},
                                   {"monetary", cuts(result->monetary_cuts)}}},
                         {"elapsed_ms", NowUnixMillis() - started}});
}

Result<http::Response> RfmMembers(RequestContext& ctx) {
    auto q = ReadRfmQuery(ctx);
    if (!q.ok()) return q.take_error();
    auto page = http::ReadPage(ctx.request, 50, 200);
    if (!page.ok()) return page.take_error();
    int r = 0, f = 0;
    if (auto v = ctx.request.QueryParam("r"); v && !v->empty()) r = std::atoi(v->c_str());
    if (auto v = ctx.request.QueryParam("f"); v && !v->empty()) f = std::atoi(v->c_str());
    const auto cls = ctx.request.QueryParam("class").value_or("");
    if (r < 0 || r > 5) return Error::Field("r", "field.out_of_range", {{"min", "1"}, {"max", "5"}});
    if (f < 0 || f > 5) return Error::Field("f", "field.out_of_range", {{"min", "1"}, {"max", "5"}});
    if (!cls.empty() && std::find(RfmClasses().begin(), RfmClasses().end(), cls) == RfmClasses().end()) {
        return Error::Field("class", "field.invalid_choice", {{"choices", "champions, loyal, …"}});
    }
    auto result = Run(ctx, *q);
    if (!result.ok()) return result.take_error();
    std::vector<const RfmMember*> matched;
    for (const auto& m : result->members) {
        if ((r && m.r != r) || (f && m.f != f) || (!cls.empty() && cls != RfmClass(m.r, m.f))) continue;
        matched.push_back(&m);
    }
    // Best customers of the cell first.
    std::sort(matched.begin(), matched.end(), [](const RfmMember* a, const RfmMember* b) {
        return a->monetary != b->monetary ? a->monetary > b->monetary : a->member < b->member;
    });
    json items = json::array();
    const size_t end = std::min(matched.size(), static_cast<size_t>(page->offset + page->limit));
    for (size_t i = static_cast<size_t>(page->offset); i < end; ++i) {
        const RfmMember& m = *matched[i];
        auto row = ctx.tx.QueryOne("SELECT member_no, name, phone_masked FROM members WHERE id = ?", {static_cast<int64_t>(m.member)});
        if (!row.ok()) return row.take_error();
        json one = {{"member_id", m.member}, {"recency_days", m.recency_days}, {"frequency", m.frequency},
                    {"monetary", m.monetary},   {"r", m.r}, {"f", m.f}, {"m", m.m}, {"class", RfmClass(m.r, m.f)}};
        if (row->has_value()) {
            one["member_no"] = (*row)->Text(0);
            one["name"] = (*row)->Text(1);
            one["phone"] = (*row)->Text(2);
        }
        items.push_back(std::move(one));
    }
    return http::PageResponse(std::move(items), page->NextCursor(static_cast<int64_t>(matched.size())),
                              static_cast<int64_t>(matched.size()));
}

}  // namespace

void RegisterRfmRoutes(http::Router& router) {
    using storage::TxMode;
    router.Add({.method = "GET", .pattern = "/api/v1/analytics/rfm", .permission = "analytics.read", .tx = TxMode::kRead,
                .tag = "analytics", .summary = "RFM grid, classes and quintile cut points (?from&to&store_id)",
                .handler = Rfm});
    router.Add({.method = "GET", .pattern = "/api/v1/analytics/rfm/members", .permission = "analytics.read",
                .tx = TxMode::kRead, .tag = "analytics", .summary = "The members of an RFM cell or class (?r&f&class)",
                .handler = RfmMembers});
}

}  // namespace storecrm::analytics
