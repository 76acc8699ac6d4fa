// storecrm: serve | init | migrate | demo | user. Every option can also come from the
// environment (STORECRM_DB, STORECRM_PORT, ...) or an INI/TOML config file (--config).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <thread>

#include "app/demo_data.hpp"
#include "app/demo_sales.hpp"
#include "app/demo_service.hpp"
#include "app/wiring.hpp"
#include "loyalty/routes.hpp"
#include "common/messages.hpp"
#include "http/server.hpp"
#include "analytics/history_import.hpp"
#include "analytics/sales_columns.hpp"
#include "marketing/audience_index.hpp"
#include "common/clock.hpp"
#include "common/logging.hpp"
#include "common/metrics.hpp"
#include "marketing/member_values.hpp"
#include "members/erasure_journal.hpp"
#include "ops/imports.hpp"
#include "ops/ops.hpp"
#include "marketing/routes.hpp"
#include "jobs/scheduler.hpp"
#include "service/routes.hpp"
#include "http/static_site.hpp"
#include "security/crypto.hpp"
#include "security/login_throttle.hpp"
#include "storage/copy.hpp"
#include "storage/power_loss_vfs.hpp"
#include "catalog/products.hpp"
#include "staff/second_factor.hpp"
#include "staff/staff_service.hpp"

namespace storecrm::app {
namespace {

struct CommonOptions {
    std::string db = "./data/storecrm.db";
    std::string key_file;
};

void AddCommon(CLI::App* cmd, CommonOptions& o) {
    cmd->add_option("--db", o.db, "SQLite file (or postgresql://... once supported)")
        ->envname("STORECRM_DB")
        ->capture_default_str();
    cmd->add_option("--key-file", o.key_file,
                    "Field-encryption key file (default: storecrm.key beside the database; or STORECRM_MASTER_KEY)")
        ->envname("STORECRM_KEY_FILE");
}

std::optional<security::FieldVault> LoadVault(const CommonOptions& o) {
    auto vault = security::FieldVault::Load(o.key_file.empty() ? DefaultKeyFile(o.db) : o.key_file);
    if (!vault.ok()) {
        std::cerr << "error: " << vault.error().internal_detail << "\n";
        return std::nullopt;
    }
    return std::move(vault).value();
}

void PrintError(const Error& e) {
    std::cerr << "error: " << Render(e.message, Locale::kEn);
    for (const auto& f : e.fields) std::cerr << " [" << f.field << ": " << Render(f.message, Locale::kEn) << "]";
    if (!e.internal_detail.empty()) std::cerr << " (" << e.internal_detail << ")";
    std::cerr << "\n";
}

int Init(const CommonOptions& o, const std::string& user, const std::string& password,
         const std::vector<std::string>& totp_roles) {
    auto vault = LoadVault(o);
    if (!vault) return 1;
    auto db = OpenMigrated(o.db, 1);
    if (!db) return 1;
    auto tx = db->Begin(storage::TxMode::kWrite);
    if (!tx.ok()) return PrintError(tx.error()), 1;
    if (auto s = staff::EnsureBuiltinRoles(**tx); !s.ok()) return PrintError(s.error()), 1;
    auto role = staff::RoleIdByCode(**tx, "hq_admin");
    if (!role.ok()) return PrintError(role.error()), 1;
    auto id = staff::CreateStaff(**tx, {.username = user, .name = user, .role_id = *role, .store_ids = {},
                                        .password = password, .must_change_password = false});
    if (!id.ok()) return PrintError(id.error()), 1;
    if (auto s = staff::SetTotpRequiredRoles(**tx, totp_roles); !s.ok()) return PrintError(s.error()), 1;
    if (auto s = (*tx)->Commit(); !s.ok()) return PrintError(s.error()), 1;
    std::cout << "Created " << o.db << " with HQ admin '" << staff::NormalizeUsername(user) << "'.\n";
    return 0;
}

// Gauges read from the database when /metrics is scraped: the outbox's depth by state.
void AddOperationalMetrics(storage::Database& db) {
    metrics::AddCollector([&db](std::string& out) {
        auto tx = db.Begin(storage::TxMode::kRead);
        if (!tx.ok()) return;
        auto rows = (*tx)->Query("SELECT status, COUNT(*) FROM messages WHERE status IN ('queued', 'sending', 'failed') "
                                 "GROUP BY status ORDER BY status");
        if (!rows.ok()) return;
        out += "# HELP storecrm_outbox_messages Messages in the outbox by state.\n";
        out += "# TYPE storecrm_outbox_messages gauge\n";
        for (const char* status : {"queued", "sending", "failed"}) {
            int64_t n = 0;
            for (const auto& r : *rows) {
                if (r.Text(0) == status) n = r.Int(1);
            }
            out += std::string("storecrm_outbox_messages{state=\"") + status + "\"} " + std::to_string(n) + "\n";
        }
    });
}

struct OpsPaths {
    std::string backup_dir;      // empty: the default beside the database
    std::string erasure_journal;  // empty: the default beside the database
};

ops::OpsConfig ResolveOps(const CommonOptions& o, const OpsPaths& paths) {
    ops::OpsConfig config;
    config.backups.db_url = o.db;
    config.backups.directory = paths.backup_dir.empty() ? ops::DefaultBackupDirectory(o.db) : paths.backup_dir;
    config.key_file = o.key_file.empty() ? DefaultKeyFile(o.db) : o.key_file;
    members::SetErasureJournal(paths.erasure_journal.empty() ? ops::DefaultErasureJournal(o.db) : paths.erasure_journal);
    return config;
}

int Serve(const CommonOptions& o, http::ServerOptions server_options, const std::string& web_root,
          const SessionPolicy& policy, int64_t job_interval, bool test_clock, const OpsPaths& ops_paths) {
    auto vault = LoadVault(o);
    if (!vault) return 1;
    const ops::OpsConfig ops_config = ResolveOps(o, ops_paths);
    // A writer may hold a read connection while it prepares (see http::Preparer).
    auto db = OpenMigrated(o.db, server_options.worker_threads + server_options.write_threads + 1);
    if (!db) return 1;
    {
        auto tx = db->Begin(storage::TxMode::kWrite);
        if (!tx.ok() || !staff::EnsureBuiltinRoles(**tx).ok() || !(*tx)->Commit().ok()) {
            spdlog::error("cannot prepare built-in roles");
            return 1;
        }
    }
    {
        auto tx = db->Begin(storage::TxMode::kWrite);
        auto refolded = tx.ok() ? catalog::RefoldProductNames(**tx) : Result<int64_t>(tx.take_error());
        if (refolded.ok() && (*tx)->Commit().ok()) {
            if (*refolded > 0) spdlog::info("product search: gave {} products the folded name search matches", *refolded);
        } else {
            spdlog::warn("product search: could not refold product names");
        }
    }
    // A backup restored from before an erasure must not bring the member back.
    if (auto replayed = ops::ReplayErasures(*db, *vault, members::ErasureJournalPath()); !replayed.ok()) {
        spdlog::error("erasure journal: {}", replayed.error().internal_detail);
        return 1;
    }
    if (auto s = ops::FailInterruptedImports(*db); !s.ok()) spdlog::warn("imports: {}", s.error().internal_detail);
    security::LoginThrottle throttle(60, 20, std::chrono::minutes(5));
    // Instance identity for job leases: host, process and a random part (pids repeat).
    char host[256] = {0};
    gethostname(host, sizeof host - 1);
    jobs::Scheduler scheduler(*db, std::string(host) + ":" + std::to_string(getpid()) + ":" + security::RandomToken(6),
                              job_interval);
    jobs::AddStandardJobs(scheduler);
    loyalty::AddLoyaltyJobs(scheduler);
    service::AddServiceJobs(scheduler, *vault);
    if (test_clock) spdlog::warn("--test-clock: POST /api/v1/test/clock can move this server's clock (tests only)");
    // The analytics columns load in the background; a report asked for meanwhile waits for them.
    analytics::SalesStore analytics_store;
    marketing::AudienceIndex audience;
    std::thread analytics_loader([&] {
        if (auto s = analytics_store.CatchUp(*db); !s.ok()) spdlog::warn("analytics: {}", s.error().internal_detail);
        if (auto s = audience.CatchUp(*db); !s.ok()) spdlog::warn("audience index: {}", s.error().internal_detail);
    });
    Services services{.db = db.get(), .vault = &*vault, .throttle = &throttle, .scheduler = &scheduler,
                      .analytics = &analytics_store, .audience = &audience, .sessions = policy, .test_clock = test_clock};
    marketing::AddMarketingJobs(scheduler, services);
    ops::AddOpsJobs(scheduler, ops_config, *vault);
    AddOperationalMetrics(*db);
    http::Router router = BuildRouter(ops_config);
    http::StaticSite site(web_root);
    if (site.empty()) spdlog::warn("no web app embedded and no --web-root: serving the API only");
    http::Server server(server_options, router, services, site);
    scheduler.Start(job_interval > 0 ? std::chrono::milliseconds(200) : std::chrono::milliseconds(5000));
    spdlog::info("storecrm serving {} on http://{}:{}", db->Describe(), server_options.address, server_options.port);
    const bool served = server.Run();
    ops::StopImports();
    scheduler.Stop();
    analytics_loader.join();
    return served ? 0 : 1;
}

// The history import: progress on stderr, the report as JSON on stdout.
int ImportSales(const CommonOptions& o, const std::string& file, const std::string& store) {
    auto vault = LoadVault(o);
    if (!vault) return 1;
    auto db = OpenMigrated(o.db, 1);
    if (!db) return 1;
    std::ifstream in(file, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto started = std::chrono::steady_clock::now();
    analytics::ImportOptions options{.store_code = store};
    options.progress = [](int64_t done, int64_t total) {
        std::cerr << "\rimporting " << (total ? done * 100 / total : 100) << "%   " << std::flush;
    };
    auto report = analytics::ImportOnlineRetail(*db, *vault, text, options);
    std::cerr << "\n";
    if (!report.ok()) return PrintError(report.error()), 1;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    nlohmann::json out = {{"rows", report->rows},
                          {"bad_rows", report->bad_rows},
                          {"invoices", report->invoices},
                          {"invoices_imported", report->invoices_imported},
                          {"cancellations", report->cancellations},
                          {"cancellations_imported", report->cancellations_imported},
                          {"cancelled_lines_unmatched", report->cancelled_lines_unmatched},
                          {"products", report->products},
                          {"products_created", report->products_created},
                          {"members", report->members},
                          {"members_created", report->members_created},
                          {"problems", report->problems},
                          {"seconds", std::round(seconds * 10) / 10},
                          {"rows_per_second", seconds > 0 ? static_cast<int64_t>(report->rows / seconds) : 0}};
    std::cout << out.dump() << "\n";
    return 0;
}

int Backup(const CommonOptions& o, const std::string& to) {
    ops::BackupTarget target{.db_url = o.db, .directory = ops::DefaultBackupDirectory(o.db)};
    std::string rename_to;
    if (!to.empty()) {
        if (std::filesystem::is_directory(to) || to.back() == '/') {
            target.directory = to;
        } else {
            target.directory = std::filesystem::path(to).has_parent_path()
                                   ? std::filesystem::path(to).parent_path().string()
                                   : std::string(".");
            rename_to = to;
        }
    }
    auto file = ops::TakeBackup(target, NowUnix());
    if (!file.ok()) return PrintError(file.error()), 1;
    std::string written = (std::filesystem::path(target.directory) / file->name).string();
    if (!rename_to.empty()) {
        std::error_code ec;
        std::filesystem::rename(written, rename_to, ec);
        if (ec) return std::cerr << "error: " << ec.message() << "\n", 1;
        written = rename_to;
    }
    std::cout << "Backed up " << o.db << " to " << written << " (" << file->size_bytes << " bytes, checked).\n";
    return 0;
}

int Restore(const CommonOptions& o, const std::string& from, bool force, const OpsPaths& paths) {
    auto vault = LoadVault(o);
    if (!vault) return 1;
    if (auto s = ops::RestoreBackup(from, o.db, force); !s.ok()) return PrintError(s.error()), 1;
    auto db = OpenMigrated(o.db, 1);
    if (!db) return 1;
    ResolveOps(o, paths);
    auto replayed = ops::ReplayErasures(*db, *vault, members::ErasureJournalPath());
    if (!replayed.ok()) return PrintError(replayed.error()), 1;
    std::cout << "Restored " << o.db << " from " << from << "; erasure journal replayed (" << *replayed
              << " members erased again).\n";
    return 0;
}

int RotateKey(const CommonOptions& o) {
    // Generations live in the key file; a server keyed from the environment would never see one.
    if (const char* env = std::getenv("STORECRM_MASTER_KEY"); env && *env) {
        std::cerr << "STORECRM_MASTER_KEY is set, but key rotation needs a key file: its generations are kept there.\n"
                     "Write the master key (64 hex digits) as the first line of a key file, serve with --key-file "
                     "and without STORECRM_MASTER_KEY, then run `storecrm key rotate --key-file <file>` again.\n";
        return 1;
    }
    const std::string key_file = o.key_file.empty() ? DefaultKeyFile(o.db) : o.key_file;
    auto generation = security::RotateKeyFile(key_file);
    if (!generation.ok()) return PrintError(generation.error()), 1;
    std::cout << "Key generation " << *generation << " added to " << key_file
              << ".\nNew values are encrypted with it from the next minute; job keys.reencrypt moves the old ones "
                 "over in the background (GET /api/v1/privacy/key-rotation shows what is left). Copy the key file "
                 "to every server and to the backups' safe place.\n";
    return 0;
}

// Personal data is copied as ciphertext: the target must be served with the same key.
int Copy(const std::string& from_url, const std::string& to_url) {
    auto from = OpenMigrated(from_url, 1);
    auto to = OpenMigrated(to_url, 1);
    if (!from || !to) return 1;
    auto summary = storage::CopyDatabase(*from, *to, [](const std::string& table, int64_t done, int64_t total) {
        const int percent = total ? static_cast<int>(done * 100 / total) : 100;
        std::string bar(static_cast<size_t>(percent / 5), '#');
        bar.resize(20, '.');
        std::cerr << "\r" << std::left << std::setw(20) << table << " [" << bar << "] " << std::setw(3) << std::right
                  << percent << "%  " << done << "/" << total << "   " << std::flush;
        if (done == total) std::cerr << "\n";
    });
    if (!summary.ok()) {
        PrintError(summary.error());
        return 1;
    }
    std::cout << "Copied and verified " << from->Describe() << " -> " << to->Describe() << ":\n";
    for (const auto& t : *summary) {
        std::cout << "  " << std::left << std::setw(20) << t.table << std::right << std::setw(10) << t.rows << " rows  "
                  << t.checksum.substr(0, 16) << "\n";
    }
    return 0;
}

}  // namespace
}  // namespace storecrm::app

int main(int argc, char** argv) {
    using namespace storecrm;
    using namespace storecrm::app;
    security::InitCrypto();
    CLI::App cli{"storecrm — customer management for retail stores (零售门店客户管理系统)"};
    cli.set_config("--config", "", "Read options from an INI/TOML file");
    cli.require_subcommand(1);

    CommonOptions common;
    http::ServerOptions server_options;
    std::string web_root;
    SessionPolicy policy;
    auto* serve = cli.add_subcommand("serve", "Serve the web app and the REST API");
    AddCommon(serve, common);
    serve->add_option("--port", server_options.port, "TCP port")->envname("STORECRM_PORT")->capture_default_str();
    serve->add_option("--address", server_options.address, "Address to bind")->envname("STORECRM_ADDRESS")->capture_default_str();
    serve->add_option("--workers", server_options.worker_threads, "Threads for reading requests (GET)")
        ->envname("STORECRM_WORKERS")->capture_default_str();
    serve->add_option("--write-workers", server_options.write_threads, "Threads for writing requests")
        ->envname("STORECRM_WRITE_WORKERS")->capture_default_str();
    serve->add_option("--web-root", web_root, "Serve the web app from this directory instead of the embedded copy");
    serve->add_option("--idle-timeout", policy.idle_timeout_seconds, "Session idle timeout, seconds")->capture_default_str();
    serve->add_option("--session-lifetime", policy.absolute_timeout_seconds, "Session absolute timeout, seconds")->capture_default_str();
    serve->add_flag("--secure-cookie", policy.secure_cookie, "Mark the session cookie Secure (behind HTTPS)");
    int64_t job_interval = 0;
    bool test_clock = false;
    serve->add_option("--job-interval", job_interval,
                      "Run every scheduled job every N seconds instead of its own interval (drills, tests)");
    serve->add_flag("--test-clock", test_clock, "Let POST /api/v1/test/clock move the clock forward (tests only)");
    int64_t power_loss_after = 0;
    uint64_t power_loss_seed = 1;
    serve->add_option("--test-power-loss-after", power_loss_after,
                      "Simulate losing power at the Nth SQLite write or sync (tests only)");
    serve->add_option("--test-power-loss-seed", power_loss_seed, "Which unsynced writes survive the power loss");
    serve->add_option("--tls-cert", server_options.tls_certificate, "PEM certificate chain: serve HTTPS (with --tls-key)")
        ->envname("STORECRM_TLS_CERT")
        ->check(CLI::ExistingFile);
    serve->add_option("--tls-key", server_options.tls_key, "PEM private key of the certificate")
        ->envname("STORECRM_TLS_KEY")
        ->check(CLI::ExistingFile);
    serve->add_flag("--metrics-public", server_options.metrics_public,
                    "Answer GET /metrics to every address (default: loopback only)");
    std::string log_format = "json";
    serve->add_option("--log-format", log_format, "Log lines as json (for collectors) or text")
        ->envname("STORECRM_LOG_FORMAT")
        ->check(CLI::IsMember({"json", "text"}))
        ->capture_default_str();
    serve->add_option("--trusted-proxy", server_options.trusted_proxies,
                      "Address of a reverse proxy whose X-Forwarded-For is believed (repeatable)")
        ->envname("STORECRM_TRUSTED_PROXY");

    OpsPaths ops_paths;
    serve->add_option("--backup-dir", ops_paths.backup_dir, "Where backups go (default: backups/ beside the database)")
        ->envname("STORECRM_BACKUP_DIR");
    serve->add_option("--erasure-journal", ops_paths.erasure_journal,
                      "Erasure journal file (default: <database>.erasures); keep it with the backups")
        ->envname("STORECRM_ERASURE_JOURNAL");

    std::string backup_to;
    auto* backup = cli.add_subcommand("backup", "Back up the database while it is in use (checked after writing)");
    AddCommon(backup, common);
    backup->add_option("--to", backup_to, "A file, or a folder for a dated file (default: backups/ beside the database)");

    std::string restore_from;
    bool restore_force = false;
    auto* restore = cli.add_subcommand("restore", "Restore a backup (stop the server first), then replay erasures");
    AddCommon(restore, common);
    restore->add_option("--from", restore_from, "The backup file")->required()->check(CLI::ExistingFile);
    restore->add_flag("--force", restore_force, "Replace a database that has data");
    restore->add_option("--erasure-journal", ops_paths.erasure_journal, "Erasure journal file (default: <database>.erasures)");

    auto* key = cli.add_subcommand("key", "Manage the field-encryption key");
    key->require_subcommand(1);
    auto* key_rotate = key->add_subcommand(
        "rotate", "Add a new encryption key generation (running servers pick it up and re-encrypt in the background)");
    AddCommon(key_rotate, common);

    std::string admin_user, admin_password;
    auto* init = cli.add_subcommand("init", "Create an empty database with one HQ admin");
    AddCommon(init, common);
    init->add_option("--admin-user", admin_user, "HQ admin username")->required();
    init->add_option("--admin-password", admin_password, "HQ admin password (chosen by you: not forced to change)")->required();
    std::vector<std::string> totp_roles = {"hq_admin"};
    init->add_option("--totp-roles", totp_roles,
                     "Role codes that must sign in with a second factor (\"none\" for no role)")
        ->capture_default_str();

    auto* migrate = cli.add_subcommand("migrate", "Bring the database to the current schema");
    AddCommon(migrate, common);

    int demo_members = 5000;
    auto* demo = cli.add_subcommand("demo", "Create the demo chain (3 stores, staff in every role, members) unless it exists");
    AddCommon(demo, common);
    demo->add_option("--members", demo_members, "How many demo members")->capture_default_str();
    int demo_sales_months = 18;
    demo->add_option("--sales-months", demo_sales_months, "Months of demo sales history (0: none)")
        ->capture_default_str()
        ->check(CLI::Range(0, 36));

    std::string copy_from, copy_to;
    auto* copy = cli.add_subcommand(
        "copy", "Copy a whole database to an empty one (SQLite <-> PostgreSQL), then verify rows and checksums");
    copy->add_option("--from", copy_from, "Source: a SQLite file or postgresql://...")->required();
    copy->add_option("--to", copy_to, "Target: an empty SQLite file or PostgreSQL database")->required();

    std::string import_file, import_format, import_store = "HISTORY";
    auto* import_cmd = cli.add_subcommand("import", "Import data from another system");
    import_cmd->require_subcommand(1);
    auto* import_sales = import_cmd->add_subcommand(
        "sales", "Import years of sales history (products and members are matched or created; a second run adds nothing)");
    AddCommon(import_sales, common);
    import_sales->add_option("--format", import_format, "File layout: online-retail (InvoiceNo,StockCode,...)")
        ->required()
        ->check(CLI::IsMember({"online-retail"}));
    import_sales->add_option("--store", import_store, "Store code the history belongs to (made when missing)")
        ->capture_default_str();
    import_sales->add_option("file", import_file, "The CSV file")->required()->check(CLI::ExistingFile);

    std::string username, name, role_code = "cashier", password;
    std::vector<int64_t> store_ids;
    auto* user = cli.add_subcommand("user", "Manage staff accounts from the command line");
    user->require_subcommand(1);
    auto* user_add = user->add_subcommand("add", "Add a staff account");
    AddCommon(user_add, common);
    user_add->add_option("--username", username)->required();
    user_add->add_option("--name", name);
    user_add->add_option("--role", role_code, "Role code, e.g. store_manager")->capture_default_str();
    user_add->add_option("--password", password, "Initial password (must be changed at first sign-in)")->required();
    user_add->add_option("--store", store_ids, "Store id (repeatable)");
    auto* user_unlock = user->add_subcommand("unlock", "Unlock an account locked by failed sign-ins");
    AddCommon(user_unlock, common);
    user_unlock->add_option("--username", username)->required();
    auto* user_password = user->add_subcommand("password", "Set a new initial password");
    AddCommon(user_password, common);
    user_password->add_option("--username", username)->required();
    user_password->add_option("--password", password)->required();

    CLI11_PARSE(cli, argc, argv);

    if (*serve) {
        logging::Configure(log_format == "json" ? logging::Format::kJson : logging::Format::kText);
        if (power_loss_after > 0) {
            spdlog::warn("--test-power-loss-after {}: this server will lose power on purpose (tests only)", power_loss_after);
            storage::InstallPowerLossVfs(power_loss_after, power_loss_seed);
        }
        if (server_options.tls_certificate.empty() != server_options.tls_key.empty()) {
            std::cerr << "error: --tls-cert and --tls-key go together\n";
            return 2;
        }
        // Over HTTPS (ours, or a proxy's announced by --secure-cookie) browsers are told to stay there.
        if (!server_options.tls_certificate.empty()) policy.secure_cookie = true;
        server_options.hsts = policy.secure_cookie;
        return Serve(common, server_options, web_root, policy, job_interval, test_clock, ops_paths);
    }
    if (*backup) return Backup(common, backup_to);
    if (*key_rotate) return RotateKey(common);
    if (*restore) return Restore(common, restore_from, restore_force, ops_paths);
    if (*init) {
        std::erase(totp_roles, std::string("none"));
        return Init(common, admin_user, admin_password, totp_roles);
    }
    if (*migrate) {
        auto db = OpenMigrated(common.db, 1);
        if (!db) return 1;
        std::cout << "Database " << common.db << " is at the current schema.\n";
        return 0;
    }
    if (*demo) {
        auto vault = LoadVault(common);
        if (!vault) return 1;
        auto db = OpenMigrated(common.db, 1);
        if (!db) return 1;
        if (!CreateDemoData(*db, *vault, demo_members)) return 1;
        if (!CreateDemoSales(*db, *vault, demo_sales_months)) return 1;
        if (!CreateDemoService(*db, *vault)) return 1;
        // The value groups (RFM class, lifecycle …) the nightly job would compute, so the demo's
        // segments and member pages have them from the start.
        analytics::SalesStore columns;
        auto values = marketing::RecomputeAllValues(*db, columns, NowUnix());
        if (!values.ok()) {
            spdlog::error("demo values: {}", values.error().internal_detail);
            return 1;
        }
        spdlog::info("Demo value groups computed for {} members.", *values);
        return 0;
    }
    if (*copy) return Copy(copy_from, copy_to);
    if (*import_sales) return ImportSales(common, import_file, import_store);
    if (*user) {
        auto db = OpenMigrated(common.db, 1);
        if (!db) return 1;
        auto tx = db->Begin(storage::TxMode::kWrite);
        if (!tx.ok()) return PrintError(tx.error()), 1;
        Status status = Ok();
        if (*user_add) {
            auto role = staff::RoleIdByCode(**tx, role_code);
            if (!role.ok()) {
                std::cerr << "error: no role with code " << role_code << "\n";
                return 1;
            }
            auto id = staff::CreateStaff(**tx, {.username = username, .name = name.empty() ? username : name,
                                                .role_id = *role, .store_ids = store_ids, .password = password});
            if (!id.ok()) status = id.take_error();
        } else {
            auto row = (*tx)->QueryOne("SELECT id FROM staff WHERE username = ?", {staff::NormalizeUsername(username)});
            if (!row.ok() || !row->has_value()) {
                std::cerr << "error: no staff account " << username << "\n";
                return 1;
            }
            const int64_t id = (**row).Int(0);
            if (*user_unlock) {
                auto r = (*tx)->Exec("UPDATE staff SET failed_attempts = 0, locked_until = NULL WHERE id = ?", {id});
                if (!r.ok()) status = r.take_error();
            } else {
                status = staff::CheckPassword("password", password, username);
                if (status.ok()) status = staff::SetPassword(**tx, id, password, true);
            }
        }
        if (status.ok()) status = (*tx)->Commit();
        if (!status.ok()) return PrintError(status.error()), 1;
        std::cout << "Done.\n";
        return 0;
    }
    return 0;
}
