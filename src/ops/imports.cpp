#include "ops/imports.hpp"

#include <unicode/ucnv.h>

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "analytics/history_import.hpp"
#include "catalog/product_import.hpp"
#include "common/clock.hpp"
#include "common/import_rows.hpp"
#include "common/text_fold.hpp"
#include "common/xlsx_reader.hpp"
#include "http/json_response.hpp"
#include "http/paging.hpp"
#include "http/table_file.hpp"
#include "members/member_import.hpp"
#include "sales/sale_import.hpp"
#include "security/session_service.hpp"

namespace storecrm::ops {
namespace {

using http::RequestContext;
using nlohmann::json;

struct Kind {
    const char* name;
    const char* permission;
};
// "history": years of sales in the public Online Retail layout (analytics' history import),
// which skips bad rows and can be run again safely instead of being all or nothing.
constexpr Kind kKinds[] = {{"members", "members.create"},
                           {"products", "products.manage"},
                           {"sales", "sales.create"},
                           {"history", "sales.create"}};

const Kind* FindKind(const std::string& name) {
    for (const auto& k : kKinds) {
        if (name == k.name) return &k;
    }
    return nullptr;
}

// A CSV that is not UTF-8 is taken as GB18030 (a superset of GBK): what Excel in Chinese
// Windows saves as "CSV".
std::optional<std::string> ToUtf8(const std::string& bytes) {
    if (IsValidUtf8(bytes)) return bytes;
    std::string out(bytes.size() * 2 + 16, '\0');
    UErrorCode status = U_ZERO_ERROR;
    const int32_t n = ucnv_convert("UTF-8", "GB18030", out.data(), static_cast<int32_t>(out.size()), bytes.data(),
                                   static_cast<int32_t>(bytes.size()), &status);
    if (U_FAILURE(status)) return std::nullopt;
    out.resize(static_cast<size_t>(n));
    return out;
}

Result<std::vector<CsvRow>> ReadRows(const std::string& bytes) {
    if (LooksLikeXlsx(bytes)) return ReadXlsxFirstSheet(bytes);
    auto text = ToUtf8(bytes);
    if (!text) return Error::Field("file", "field.not_a_workbook");
    auto rows = ParseCsv(*text);
    if (!rows) return Error::Field("file", "field.not_a_workbook");
    return std::move(*rows);
}

struct Job {
    int64_t id;
    std::string kind;
    bool dry_run;
    int64_t staff_id;
    Locale locale;
    std::vector<CsvRow> rows;
    Services* services;
    std::string text;        // history: the CSV as UTF-8 text
    std::string store_code;  // history: the store the history belongs to
};

struct Progress {
    int64_t processed = 0;
    int64_t total = 0;
};

// One import at a time: each holds the writer for its length, and two would wait on each other.
class Runner {
public:
    void Enqueue(Job job) {
        std::lock_guard lock(mutex_);
        progress_[job.id] = {0, static_cast<int64_t>(job.rows.size()) - 1};
        queue_.push_back(std::move(job));
        if (!thread_.joinable()) thread_ = std::thread([this] { Loop(); });
        wake_.notify_one();
    }
    std::optional<Progress> ProgressOf(int64_t id) {
        std::lock_guard lock(mutex_);
        auto it = progress_.find(id);
        if (it == progress_.end()) return std::nullopt;
        return it->second;
    }
    void Stop() {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
            wake_.notify_all();
        }
        if (thread_.joinable()) thread_.join();
    }

private:
    void Loop() {
        for (;;) {
            Job job;
            {
                std::unique_lock lock(mutex_);
                wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
                if (queue_.empty()) return;
                job = std::move(queue_.front());
                queue_.pop_front();
            }
            Run(job);
            std::lock_guard lock(mutex_);
            progress_.erase(job.id);
        }
    }
    void Run(Job& job);
    void RunHistory(Job& job, ImportSink& sink, int64_t total);

    std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> queue_;
    std::map<int64_t, Progress> progress_;
    std::thread thread_;
    bool stopping_ = false;

};

Runner& TheRunner() {
    static Runner runner;
    return runner;
}

Status Finish(storage::Database& db, int64_t id, const std::string& status, int64_t processed, int64_t written,
              const ImportSink& sink, Locale locale, const std::string& message) {
    json errors = json::array();
    for (const auto& e : sink.errors) {
        // "rows[12].phone" → row 12, field phone; "file" stays a whole-file problem (row 0).
        int64_t row = 0;
        std::string field = e.field;
        if (field.rfind("rows[", 0) == 0) {
            const size_t close = field.find(']');
            row = std::stoll(field.substr(5, close - 5));
            field = close + 2 <= field.size() ? field.substr(close + 2) : "";
        }
        errors.push_back({{"row", row}, {"field", field}, {"reason", Render(e.message, locale)}});
    }
    auto tx = db.Begin(storage::TxMode::kWrite);
    if (!tx.ok()) return tx.take_error();
    STORECRM_TRY((*tx)->Exec(
        "UPDATE imports SET status = ?, processed_rows = ?, written_rows = ?, error_count = ?, errors = ?, message = ?, "
        "finished_at = ? WHERE id = ?",
        {status, processed, written, sink.error_rows > 0 ? sink.error_rows : static_cast<int64_t>(sink.errors.size()),
         errors.dump(), message, NowUnix(), id}));
    return (*tx)->Commit();
}

Status MarkRunning(storage::Database& db, int64_t id, int64_t total) {
    auto tx = db.Begin(storage::TxMode::kWrite);
    if (!tx.ok()) return tx.take_error();
    STORECRM_TRY((*tx)->Exec("UPDATE imports SET status = 'running', started_at = ?, total_rows = ? WHERE id = ?",
                             {NowUnix(), total, id}));
    return (*tx)->Commit();
}

void Runner::Run(Job& job) {
    storage::Database& db = *job.services->db;
    const int64_t total = static_cast<int64_t>(job.rows.size()) - 1;
    ImportSink sink;
    sink.progress = [this, &job](int64_t done) {
        std::lock_guard lock(mutex_);
        progress_[job.id].processed = done;
    };
    auto fail = [&](const Error& e) {
        ImportSink whole;
        for (const auto& f : e.fields) whole.errors.push_back(f);
        const std::string message = e.fields.empty() ? Render(e.message, job.locale) : "";
        if (!e.internal_detail.empty()) spdlog::error("import {}: {}", job.id, e.internal_detail);
        (void)Finish(db, job.id, "failed", 0, 0, whole, job.locale, message);
    };
    if (job.kind == "history") return RunHistory(job, sink, total);
    if (auto s = MarkRunning(db, job.id, total); !s.ok()) return fail(s.error());
    auto tx = db.Begin(storage::TxMode::kWrite);
    if (!tx.ok()) return fail(tx.error());
    auto principal = security::LoadStaffPrincipal(**tx, job.staff_id);
    if (!principal.ok()) return fail(principal.error());
    http::Request request;  // the importer's rows stand in for request bodies
    request.method = "POST";
    request.path = "/api/v1/imports";
    RequestContext ctx(request, job.locale, std::move(principal).value(), **tx, *job.services, false);
    Status outcome = Ok();
    try {
        if (job.kind == "members") {
            outcome = members::ImportMemberRows(ctx, job.rows, sink);
        } else if (job.kind == "sales") {
            outcome = sales::ImportSaleRows(ctx, job.rows, sink);
        } else {
            int64_t created = 0;
            outcome = catalog::ImportProductRows(ctx, job.rows, sink, true, &created);
        }
    } catch (const std::exception& e) {
        outcome = Error::Internal(e.what());
    }
    if (!outcome.ok()) {
        tx->reset();  // rolls back
        return fail(outcome.error());
    }
    const bool clean = sink.errors.empty() && sink.error_rows == 0;
    if (clean && !job.dry_run) {
        for (auto& entry : ctx.deferred_audit()) {
            if (auto s = security::WriteAudit(**tx, ctx.principal, "", entry); !s.ok()) return fail(s.error());
        }
        if (auto s = (*tx)->Commit(); !s.ok()) return fail(s.error());
    }
    tx->reset();  // a dry run or a failed check: nothing stays
    const int64_t written = clean ? sink.written : 0;
    if (auto s = Finish(db, job.id, clean ? "done" : "failed", total, job.dry_run ? 0 : written, sink, job.locale, "");
        !s.ok()) {
        spdlog::error("import {}: {}", job.id, s.error().internal_detail);
    }
    if (!job.dry_run && written > 0) spdlog::info("import {}: {} {} written", job.id, written, job.kind);
}

void Runner::RunHistory(Job& job, ImportSink& sink, int64_t total) {
    storage::Database& db = *job.services->db;
    if (!MarkRunning(db, job.id, total).ok()) return;
    analytics::ImportOptions options{.store_code = job.store_code};
    options.progress = [&sink](int64_t done, int64_t) { sink.progress(done); };
    auto report = analytics::ImportOnlineRetail(db, *job.services->vault, job.text, options);
    if (!report.ok()) {
        ImportSink whole;
        for (const auto& f : report.error().fields) whole.errors.push_back(f);
        (void)Finish(db, job.id, "failed", 0, 0, whole, job.locale,
                     report.error().fields.empty() ? Render(report.error().message, job.locale) : "");
        return;
    }
    // "row 12: Quantity: zero" → row 12 (the history import numbers data rows from the header's 1).
    for (const auto& problem : report->problems) {
        int row = 0;
        char field[64] = {0};
        const size_t colon = problem.find(": ", problem.find(": ") + 2);
        if (std::sscanf(problem.c_str(), "row %d: %63[^:]:", &row, field) == 2 && colon != std::string::npos) {
            sink.errors.push_back({"rows[" + std::to_string(row) + "]." + field, {"import.history_problem", {{"reason", problem.substr(colon + 2)}}}});
        }
    }
    sink.error_rows = report->bad_rows;
    const std::string summary = "invoices " + std::to_string(report->invoices_imported) + "/" +
                                std::to_string(report->invoices) + ", cancellations " +
                                std::to_string(report->cancellations_imported) + "/" +
                                std::to_string(report->cancellations) + ", new products " +
                                std::to_string(report->products_created) + ", new members " +
                                std::to_string(report->members_created);
    (void)Finish(db, job.id, "done", total, report->rows - report->bad_rows, sink, job.locale, summary);
}

json ImportJson(const storage::Row& r) {
    json out = {{"id", r.Int(0)},
                {"kind", r.Text(1)},
                {"file_name", r.Text(2)},
                {"dry_run", r.Int(3) != 0},
                {"status", r.Text(4)},
                {"total_rows", r.Int(5)},
                {"processed_rows", r.Int(6)},
                {"written_rows", r.Int(7)},
                {"error_count", r.Int(8)},
                {"message", r.Text(10)},
                {"created_by", r.IsNull(11) ? json() : json{{"id", r.Int(11)}, {"name", r.Text(15)}}},
                {"created_at", FormatIsoUtc(r.Int(12))},
                {"started_at", r.IsNull(13) ? json() : json(FormatIsoUtc(r.Int(13)))},
                {"finished_at", r.IsNull(14) ? json() : json(FormatIsoUtc(r.Int(14)))}};
    if (auto live = TheRunner().ProgressOf(r.Int(0)); live && r.Text(4) == "running") {
        out["processed_rows"] = live->processed;
        out["total_rows"] = live->total;
    }
    return out;
}

constexpr const char* kImportColumns =
    "SELECT i.id, i.kind, i.file_name, i.dry_run, i.status, i.total_rows, i.processed_rows, i.written_rows, "
    "i.error_count, i.errors, i.message, i.created_by, i.created_at, i.started_at, i.finished_at, "
    "COALESCE(s.name, '') FROM imports i LEFT JOIN staff s ON s.id = i.created_by ";

// Staff see their own imports; an HQ admin (all stores) sees everyone's.
std::string OwnerClause(const RequestContext& ctx, storage::Params& params) {
    if (ctx.principal.all_stores) return "";
    params.push_back(ctx.principal.id);
    return " AND i.created_by = ?";
}

Result<http::Response> StartImport(RequestContext& ctx) {
    const std::string kind_name = ctx.request.QueryParam("kind").value_or("");
    const Kind* kind = FindKind(kind_name);
    if (!kind) return Error::Field("kind", "field.invalid_choice", {{"choices", "members, products, sales, history"}});
    if (!ctx.principal.Has(kind->permission)) return Error::Forbidden();
    const std::string dry = ctx.request.QueryParam("dry_run").value_or("true");
    if (dry != "true" && dry != "false" && dry != "1" && dry != "0") {
        return Error::Field("dry_run", "field.must_be_boolean");
    }
    const bool dry_run = dry == "true" || dry == "1";
    std::string file_name = ctx.request.QueryParam("file_name").value_or("");
    if (file_name.size() > 200 || !IsValidUtf8(file_name)) return Error::Field("file_name", "field.too_long", {{"max", "200"}});
    if (ctx.request.body.empty()) return Error::Field("file", "field.required");
    std::string history_text, store_code;
    if (std::string(kind->name) == "history") {
        if (dry_run) return Error::Field("dry_run", "import.history_no_dry_run");
        if (LooksLikeXlsx(ctx.request.body)) return Error::Field("file", "import.history_csv_only");
        auto text = ToUtf8(ctx.request.body);
        if (!text) return Error::Field("file", "field.not_a_workbook");
        history_text = *text;
        store_code = ctx.request.QueryParam("store").value_or("HISTORY");
        if (store_code.empty() || store_code.size() > 32) return Error::Field("store", "field.required");
    }
    auto rows = ReadRows(ctx.request.body);
    if (!rows.ok()) return rows.take_error();
    if (rows->size() < 2) return Error::Field("file", "field.no_rows");

    // Recorded in its own transaction so the worker can see it at once.
    auto tx = ctx.services.db->Begin(storage::TxMode::kWrite);
    if (!tx.ok()) return tx.take_error();
    auto id = (*tx)->QueryOne(
        "INSERT INTO imports (kind, file_name, dry_run, status, total_rows, created_by, created_at) "
        "VALUES (?, ?, ?, 'queued', ?, ?, ?) RETURNING id",
        {kind->name, file_name, dry_run ? 1 : 0, static_cast<int64_t>(rows->size()) - 1, ctx.principal.id, NowUnix()});
    if (!id.ok()) return id.take_error();
    STORECRM_TRY((*tx)->Commit());
    const int64_t import_id = (**id).Int(0);
    STORECRM_TRY(ctx.Audit({"import.start", "import", std::to_string(import_id),
                            json{{"kind", kind->name}, {"dry_run", dry_run}, {"rows", rows->size() - 1},
                                 {"file_name", file_name}}
                                .dump()}));
    TheRunner().Enqueue({import_id, kind->name, dry_run, ctx.principal.id, ctx.locale, std::move(*rows), &ctx.services,
                         std::move(history_text), store_code});
    return http::JsonOk(json{{"id", import_id}, {"status", "queued"}}, 202);
}

Result<http::Response> GetImport(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    storage::Params params = {*id};
    const std::string owner = OwnerClause(ctx, params);
    auto row = ctx.tx.QueryOne(std::string(kImportColumns) + "WHERE i.id = ?" + owner, params);
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Error::NotFound();
    json out = ImportJson(**row);
    out["errors"] = json::parse((*row)->Text(9), nullptr, false);
    return http::JsonOk(out);
}

Result<http::Response> ListImports(RequestContext& ctx) {
    auto page = http::ReadPage(ctx.request);
    if (!page.ok()) return page.take_error();
    storage::Params params;
    const std::string owner = OwnerClause(ctx, params);
    auto total = ctx.tx.QueryOne("SELECT COUNT(*) FROM imports i WHERE 1 = 1" + owner, params);
    if (!total.ok()) return total.take_error();
    params.push_back(page->limit);
    params.push_back(page->offset);
    auto rows = ctx.tx.Query(std::string(kImportColumns) + "WHERE 1 = 1" + owner + " ORDER BY i.id DESC LIMIT ? OFFSET ?",
                             params);
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) items.push_back(ImportJson(r));
    return http::PageResponse(std::move(items), page->NextCursor((*total)->Int(0)), (*total)->Int(0));
}

Result<http::Response> Template(RequestContext& ctx) {
    const std::string kind = ctx.request.QueryParam("kind").value_or("");
    const bool excel = ctx.request.QueryParam("format").value_or("csv") == "xlsx";
    if (kind == "members") return http::TableFile("members-template", members::MemberImportTemplate(), excel);
    if (kind == "products") return http::TableFile("products-template", catalog::ProductImportTemplate(), excel);
    if (kind == "sales") return http::TableFile("sales-template", sales::SaleImportTemplate(), excel);
    return Error::Field("kind", "field.invalid_choice", {{"choices", "members, products, sales, history"}});
}

}  // namespace

void RegisterImportRoutes(http::Router& router) {
    using storage::TxMode;
    router.Add({.method = "POST", .pattern = "/api/v1/imports", .permission = "imports.run", .tx = TxMode::kRead,
                .tag = "imports", .summary = "Upload a CSV or .xlsx to import (?kind=&dry_run=&file_name=)",
                .handler = StartImport});
    router.Add({.method = "GET", .pattern = "/api/v1/imports", .permission = "imports.run", .tx = TxMode::kRead,
                .tag = "imports", .summary = "Imports, newest first", .handler = ListImports});
    router.Add({.method = "GET", .pattern = "/api/v1/imports/template", .permission = "imports.run",
                .tx = TxMode::kRead, .tag = "imports", .summary = "A template file for a kind (?kind=)",
                .handler = Template});
    router.Add({.method = "GET", .pattern = "/api/v1/imports/{id}", .permission = "imports.run", .tx = TxMode::kRead,
                .tag = "imports", .summary = "An import's progress and bad rows", .handler = GetImport});
}

Status FailInterruptedImports(storage::Database& db) {
    auto tx = db.Begin(storage::TxMode::kWrite);
    if (!tx.ok()) return tx.take_error();
    STORECRM_TRY((*tx)->Exec(
        "UPDATE imports SET status = 'failed', message = 'interrupted by a server restart; nothing was written', "
        "finished_at = ? WHERE status IN ('queued', 'running')",
        {NowUnix()}));
    return (*tx)->Commit();
}

void StopImports() { TheRunner().Stop(); }

}  // namespace storecrm::ops
