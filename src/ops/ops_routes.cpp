// Routes for backups (系统 → 备份) and the audit chain check.
#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "ops/audit_chain.hpp"
#include "ops/key_rotation.hpp"
#include "ops/backup_runs.hpp"
#include "ops/ops.hpp"
#include "ops/retention.hpp"
#include "http/paging.hpp"

namespace storecrm::ops {
namespace {

using http::RequestContext;
using nlohmann::json;

json FileJson(const BackupFile& f) {
    return json{{"name", f.name},
                {"size_bytes", f.size_bytes},
                {"created_at", FormatIsoUtc(f.created_at)},
                {"verified", true},  // only checked files get their final name
                {"keep", f.keep}};
}

Result<http::Response> ListBackupsRoute(RequestContext& ctx, const OpsConfig& config) {
    auto settings = LoadBackupSettings(ctx.tx);
    if (!settings.ok()) return settings.take_error();
    auto files = ListBackups(config.backups, *settings);
    if (!files.ok()) return files.take_error();
    json items = json::array();
    for (const auto& f : *files) items.push_back(FileJson(f));
    auto last = LastBackupRun(ctx.tx);
    if (!last.ok()) return last.take_error();
    return http::JsonOk(json{{"items", items},
                             {"last_run", *last},
                             {"directory", config.backups.directory},
                             {"backend", IsPostgresUrl(config.backups.db_url) ? "postgres" : "sqlite"},
                             {"settings",
                              {{"hour_local", settings->hour_local},
                               {"timezone", settings->timezone},
                               {"retention",
                                {{"daily", settings->daily}, {"weekly", settings->weekly}, {"monthly", settings->monthly}}}}}});
}

// A read route: the copy needs no transaction of ours, and the run is recorded in its own.
Result<http::Response> BackUpNow(RequestContext& ctx, const OpsConfig& config) {
    auto file = RunBackup(*ctx.services.db, config.backups);
    if (!file.ok()) return file.take_error();
    auto settings = LoadBackupSettings(ctx.tx);
    if (!settings.ok()) return settings.take_error();
    auto listed = ListBackups(config.backups, *settings);
    if (!listed.ok()) return listed.take_error();
    for (const auto& f : *listed) {
        if (f.name == file->name) file->keep = f.keep;
    }
    STORECRM_TRY(ctx.Audit({"backup.create", "backup", file->name, json{{"size_bytes", file->size_bytes}}.dump()}));
    return http::JsonOk(json{{"item", FileJson(*file)}}, 201);
}

Result<http::Response> PutBackupSettings(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto current = LoadBackupSettings(ctx.tx);
    if (!current.ok()) return current.take_error();
    BackupSettings s = *current;
    if (auto hour = body->Int("hour_local", true, 0, 23)) s.hour_local = static_cast<int>(*hour);
    if (auto zone = body->Text("timezone", {.max_chars = 64})) s.timezone = *zone;
    const auto* retention = body->Raw("retention");
    if (retention && !retention->is_object()) body->AddError("retention", "field.must_be_object");
    if (retention && retention->is_object()) {
        http::BodyReader r(*retention);
        if (auto v = r.Int("daily", true, 1, 90)) s.daily = static_cast<int>(*v);
        if (auto v = r.Int("weekly", true, 0, 52)) s.weekly = static_cast<int>(*v);
        if (auto v = r.Int("monthly", true, 0, 120)) s.monthly = static_cast<int>(*v);
        if (auto s2 = r.Finish(); !s2.ok()) {
            for (auto& f : s2.error().fields) body->AddError("retention." + f.field, f.message.key, f.message.args);
        }
    }
    STORECRM_TRY(body->Finish());
    STORECRM_TRY(SaveBackupSettings(ctx.tx, s));
    STORECRM_TRY(ctx.Audit({"backup.settings", "settings", "backups",
                            json{{"hour_local", s.hour_local}, {"daily", s.daily}, {"weekly", s.weekly},
                                 {"monthly", s.monthly}}
                                .dump()}));
    return http::Response::NoContent();
}

Result<http::Response> VerifyAudit(RequestContext& ctx) {
    auto report = VerifyAuditChain(ctx.tx, *ctx.services.vault);
    if (!report.ok()) return report.take_error();
    return http::JsonOk(json{{"ok", report->ok},
                             {"checked", report->checked},
                             {"sealed_through_id", report->sealed_through_id},
                             {"first_broken_id", report->first_broken_id ? json(*report->first_broken_id) : json()},
                             {"unsealed", report->unsealed}});
}

Result<http::Response> GetRetention(RequestContext& ctx) {
    auto rule = LoadRetentionRule(ctx.tx);
    if (!rule.ok()) return rule.take_error();
    auto last = LastRetentionRun(ctx.tx);
    if (!last.ok()) return last.take_error();
    return http::JsonOk(json{{"enabled", rule->enabled}, {"inactive_years", rule->inactive_years}, {"last_run", *last}});
}

Result<http::Response> PutRetention(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto enabled = body->Bool("enabled", true);
    auto years = body->Int("inactive_years", true, 1, 20);
    STORECRM_TRY(body->Finish());
    RetentionRule rule{.enabled = *enabled, .inactive_years = static_cast<int>(*years)};
    STORECRM_TRY(SaveRetentionRule(ctx.tx, rule));
    STORECRM_TRY(ctx.Audit({"privacy.retention_rule", "settings", "privacy",
                            json{{"enabled", rule.enabled}, {"inactive_years", rule.inactive_years}}.dump()}));
    return http::Response::NoContent();
}

// Who the rule would take now, whether or not it is on: the admin looks before enabling it.
Result<http::Response> PreviewRetention(RequestContext& ctx) {
    auto page = http::ReadPage(ctx.request);
    if (!page.ok()) return page.take_error();
    auto rule = LoadRetentionRule(ctx.tx);
    if (!rule.ok()) return rule.take_error();
    if (auto years = ctx.request.QueryParam("inactive_years")) {
        const int y = std::atoi(years->c_str());
        if (y < 1 || y > 20) return Error::Field("inactive_years", "field.out_of_range", {{"min", "1"}, {"max", "20"}});
        rule->inactive_years = y;
    }
    int64_t total = 0;
    auto items = RetentionCandidates(ctx.tx, RetentionCutoff(*rule, NowUnix()), page->limit, page->offset, &total);
    if (!items.ok()) return items.take_error();
    return http::PageResponse(std::move(*items), page->NextCursor(total), total);
}

Result<http::Response> GetKeyRotation(RequestContext& ctx) {
    auto status = KeyRotationStatus(ctx.tx, *ctx.services.vault);
    if (!status.ok()) return status.take_error();
    return http::JsonOk(*status);
}

}  // namespace

void RegisterOpsRoutes(http::Router& router, const OpsConfig& config) {
    using storage::TxMode;
    router.Add({.method = "GET", .pattern = "/api/v1/system/backups", .permission = "backups.manage",
                .tx = TxMode::kRead, .tag = "system", .summary = "Backups, the last run and the retention rule",
                .handler = [config](RequestContext& ctx) { return ListBackupsRoute(ctx, config); }});
    router.Add({.method = "POST", .pattern = "/api/v1/system/backups", .permission = "backups.manage",
                .tx = TxMode::kRead, .tag = "system", .summary = "Take a backup now (checked before it is listed)",
                .handler = [config](RequestContext& ctx) { return BackUpNow(ctx, config); }});
    router.Add({.method = "PUT", .pattern = "/api/v1/system/backups/settings", .permission = "backups.manage",
                .tx = TxMode::kWrite, .tag = "system", .summary = "Set the backup hour and retention rule",
                .handler = PutBackupSettings});
    router.Add({.method = "GET", .pattern = "/api/v1/privacy/retention", .permission = "privacy.manage",
                .tx = TxMode::kRead, .tag = "privacy", .summary = "The data-retention rule and its last run",
                .handler = GetRetention});
    router.Add({.method = "PUT", .pattern = "/api/v1/privacy/retention", .permission = "privacy.manage",
                .tx = TxMode::kWrite, .tag = "privacy", .summary = "Turn the data-retention rule on or off",
                .handler = PutRetention});
    router.Add({.method = "GET", .pattern = "/api/v1/privacy/retention/preview", .permission = "privacy.manage",
                .tx = TxMode::kRead, .tag = "privacy", .summary = "Members the retention rule would anonymise now",
                .handler = PreviewRetention});
    router.Add({.method = "GET", .pattern = "/api/v1/privacy/key-rotation", .permission = "privacy.manage",
                .tx = TxMode::kRead, .tag = "privacy",
                .summary = "Encrypted values still under an older key generation", .handler = GetKeyRotation});
    router.Add({.method = "GET", .pattern = "/api/v1/audit/verify", .permission = "audit.read", .tx = TxMode::kRead,
                .tag = "audit", .summary = "Check the audit log's hash chain", .handler = VerifyAudit});
}

}  // namespace storecrm::ops
