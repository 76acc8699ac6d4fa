#include "analytics/report_query.hpp"

#include "http/table_file.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/xlsx.hpp"
#include "http/services.hpp"

namespace storecrm::analytics {

Result<Period> ReadPeriod(http::RequestContext& ctx, int default_days) {
    Period q;
    q.to_day = DayOf(NowUnix());
    q.from_day = static_cast<uint16_t>(std::max(0, q.to_day - default_days + 1));
    for (const auto& [name, day] : {std::pair{"from", &q.from_day}, std::pair{"to", &q.to_day}}) {
        if (auto v = ctx.request.QueryParam(name); v && !v->empty()) {
            auto at = ParseIsoDate(*v);
            if (!at || *at < kDayZero) return Error::Field(name, "field.invalid_date");
            *day = DayOf(*at + 12 * 3600);  // midday UTC falls on that date in China time
        }
    }
    if (q.from_day > q.to_day) return Error::Field("from", "analytics.from_after_to");
    if (q.to_day - q.from_day > 3660) return Error::Field("from", "field.out_of_range", {{"min", "1"}, {"max", "3660"}});
    if (auto v = ctx.request.QueryParam("store_id"); v && !v->empty()) {
        size_t start = 0;
        while (start <= v->size()) {
            size_t end = v->find(',', start);
            if (end == std::string::npos) end = v->size();
            const int64_t id = std::atoll(v->substr(start, end - start).c_str());
            if (id <= 0 || id > 65535 || !ctx.principal.CanAccessStore(id)) {
                return Error::Field("store_id", "field.store_out_of_scope");
            }
            auto exists = ctx.tx.QueryOne("SELECT 1 FROM stores WHERE id = ?", {id});
            if (!exists.ok()) return exists.take_error();
            if (!exists->has_value()) return Error::Field("store_id", "field.not_found");
            q.stores.push_back(static_cast<uint16_t>(id));
            start = end + 1;
        }
    } else if (!ctx.principal.all_stores) {
        for (int64_t id : ctx.principal.store_ids) q.stores.push_back(static_cast<uint16_t>(id));
        if (q.stores.empty()) q.stores.push_back(0);  // no stores: nothing
    }
    return q;
}

std::string StoreInClause(const Period& p, const std::string& column, storage::Params& params) {
    if (p.stores.empty()) return "";
    std::string clause = " AND " + column + " IN (";
    for (size_t i = 0; i < p.stores.size(); ++i) {
        clause += i ? ", ?" : "?";
        params.emplace_back(static_cast<int64_t>(p.stores[i]));
    }
    return clause + ")";
}

Status EnsureCurrent(http::RequestContext& ctx) {
    if (!ctx.services.analytics) return Error::NotFound();
    return ctx.services.analytics->CatchUp(*ctx.services.db);
}

std::string DayText(uint16_t day) { return FormatIsoUtc(DayStart(day) + kLocalOffset).substr(0, 10); }

bool WantsExport(const http::RequestContext& ctx) {
    const auto format = ctx.request.QueryParam("format").value_or("");
    return format == "csv" || format == "xlsx";
}

Result<http::Response> ExportRows(http::RequestContext& ctx, const std::string& report, const std::vector<CsvRow>& rows) {
    const bool excel = ctx.request.QueryParam("format").value_or("") == "xlsx";
    STORECRM_TRY(ctx.Audit({"analytics.export", "report", report,
                            nlohmann::json({{"rows", rows.empty() ? 0 : rows.size() - 1}, {"format", excel ? "xlsx" : "csv"}}).dump()}));
    return http::TableFile(report, rows, excel);
}

}  // namespace storecrm::analytics
