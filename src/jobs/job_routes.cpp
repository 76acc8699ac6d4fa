// GET /jobs and POST /jobs/{name}/run for admins, and the test clock of `serve --test-clock`.
#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "jobs/job_routes.hpp"
#include "jobs/scheduler.hpp"

namespace storecrm::jobs {
namespace {

using http::RequestContext;
using nlohmann::json;

Result<http::Response> ListJobs(RequestContext& ctx) {
    json items = json::array();
    if (!ctx.services.scheduler) return http::JsonOk({{"items", items}});
    for (const auto& [name, interval] : ctx.services.scheduler->JobIntervals()) {
        auto row = ctx.tx.QueryOne("SELECT next_run_at, last_run_at, last_status FROM jobs WHERE name = ?", {name});
        if (!row.ok()) return row.take_error();
        json one = {{"name", name}, {"interval_seconds", interval}, {"next_run_at", nullptr}, {"last_run_at", nullptr},
                    {"last_status", ""}};
        if (row->has_value()) {
            const auto& r = **row;
            one["next_run_at"] = FormatIsoUtc(r.Int(0));
            if (!r.IsNull(1)) one["last_run_at"] = FormatIsoUtc(r.Int(1));
            one["last_status"] = r.Text(2);
        }
        items.push_back(std::move(one));
    }
    return http::JsonOk({{"items", items}});
}

// Runs in a read route: the job opens its own write transactions, which a write route's
// transaction would block on SQLite.
Result<http::Response> RunJob(RequestContext& ctx) {
    auto name = ctx.request.path_params.find("name");
    if (!ctx.services.scheduler || name == ctx.request.path_params.end()) return Error::NotFound();
    auto outcome = ctx.services.scheduler->RunNow(name->second);
    if (!outcome) return Error::NotFound();
    STORECRM_TRY(ctx.Audit({"job.run", "job", name->second, outcome->ok() ? "ok" : "failed"}));
    if (!outcome->ok()) return outcome->take_error();
    return http::JsonOk({{"name", name->second}, {"status", "ok"}, {"finished_at", FormatIsoUtc(NowUnix())}});
}

Result<http::Response> AdvanceTestClock(RequestContext& ctx) {
    if (!ctx.services.test_clock) return Error::NotFound();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto seconds = body->Int("advance_seconds", true, 1, 400LL * 86400);
    STORECRM_TRY(body->Finish());
    AdvanceClock(*seconds);
    return http::JsonOk({{"now", FormatIsoUtc(NowUnix())}});
}

}  // namespace

void RegisterJobRoutes(http::Router& router) {
    using storage::TxMode;
    router.Add({.method = "GET", .pattern = "/api/v1/jobs", .permission = "jobs.run", .tx = TxMode::kRead,
                .tag = "system", .summary = "Scheduled jobs, their next and last runs", .handler = ListJobs});
    router.Add({.method = "POST", .pattern = "/api/v1/jobs/{name}/run", .permission = "jobs.run", .tx = TxMode::kRead,
                .tag = "system", .summary = "Run a scheduled job now (jobs are idempotent)", .handler = RunJob});
    router.Add({.method = "POST", .pattern = "/api/v1/test/clock", .permission = http::kPublic, .tx = TxMode::kRead,
                .tag = "system", .summary = "Move the clock forward (only under serve --test-clock)",
                .handler = AdvanceTestClock});
}

}  // namespace storecrm::jobs
