#include "jobs/scheduler.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

#include "common/clock.hpp"
#include "common/metrics.hpp"

namespace storecrm::jobs {
namespace {

constexpr int64_t kLeaseSeconds = 300;  // a job running longer than this may run twice

Status RunCatching(const Job& job, storage::Database& db) {
    try {
        return job.run(db);
    } catch (const std::exception& e) {
        return Error::Internal(e.what());
    }
}

// A job's run, with an escaping exception turned into a failed outcome, counted for /metrics.
Status RunGuarded(const Job& job, storage::Database& db) {
    const auto started = std::chrono::steady_clock::now();
    Status outcome = RunCatching(job, db);
    metrics::CountJobRun(job.name, outcome.ok(),
                         std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    return outcome;
}

}  // namespace

Scheduler::Scheduler(storage::Database& db, std::string instance, int64_t interval_override_seconds)
    : db_(db), instance_(std::move(instance)), interval_override_(interval_override_seconds) {}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::Add(Job job) { jobs_.push_back(std::move(job)); }

int64_t Scheduler::Interval(const Job& job) const {
    return interval_override_ > 0 ? interval_override_ : job.interval_seconds;
}

Status Scheduler::Ensure(const Job& job) {
    auto tx = db_.Begin(storage::TxMode::kWrite);
    if (!tx.ok()) return tx.take_error();
    STORECRM_TRY((*tx)->Exec("INSERT INTO jobs (name, next_run_at) VALUES (?, ?) ON CONFLICT DO NOTHING",
                             {job.name, NowUnix() + Interval(job)}));
    return (*tx)->Commit();
}

Result<bool> Scheduler::Claim(const Job& job, int64_t* slot) {
    auto tx = db_.Begin(storage::TxMode::kWrite);
    if (!tx.ok()) return tx.take_error();
    const int64_t now = NowUnix();
    auto due = (*tx)->QueryOne(
        "SELECT next_run_at FROM jobs WHERE name = ? AND next_run_at <= ? AND (lease_until IS NULL OR lease_until < ?)",
        {job.name, now, now});
    if (!due.ok()) return due.take_error();
    if (!due->has_value()) return false;
    *slot = (**due).Int(0);
    // The slot in the WHERE clause makes the claim atomic: of two instances that both saw the
    // job due, only the first UPDATE matches.
    auto claimed = (*tx)->Exec(
        "UPDATE jobs SET lease_owner = ?, lease_until = ? WHERE name = ? AND next_run_at = ? AND "
        "(lease_until IS NULL OR lease_until < ?)",
        {instance_, now + kLeaseSeconds, job.name, *slot, now});
    if (!claimed.ok()) return claimed.take_error();
    if (claimed->changes != 1) return false;
    STORECRM_TRY((*tx)->Commit());
    return true;
}

Status Scheduler::Finish(const Job& job, int64_t slot, int64_t started, const Status& outcome) {
    auto tx = db_.Begin(storage::TxMode::kWrite);
    if (!tx.ok()) return tx.take_error();
    const int64_t now = NowUnix();
    const std::string status = outcome.ok() ? "ok" : "failed: " + outcome.error().internal_detail;
    // The next slot follows this one; a job that fell behind (instances down) skips to the future
    // rather than running every missed slot back to back.
    int64_t next = slot + Interval(job);
    if (next <= now) next = now + Interval(job);
    STORECRM_TRY((*tx)->Exec(
        "UPDATE jobs SET next_run_at = ?, lease_owner = NULL, lease_until = NULL, last_run_at = ?, last_status = ? "
        "WHERE name = ? AND lease_owner = ?",
        {next, now, status, job.name, instance_}));
    STORECRM_TRY((*tx)->Exec(
        "INSERT INTO job_runs (job, slot, instance, started_at, finished_at, status) VALUES (?, ?, ?, ?, ?, ?)",
        {job.name, slot, instance_, started, now, status}));
    return (*tx)->Commit();
}

int Scheduler::RunDue() {
    int ran = 0;
    for (const auto& job : jobs_) {
        int64_t slot = 0;
        auto claimed = Claim(job, &slot);
        if (!claimed.ok()) {
            spdlog::warn("job {}: cannot claim: {}", job.name, claimed.error().internal_detail);
            continue;
        }
        if (!*claimed) continue;
        const int64_t started = NowUnix();
        Status outcome = RunGuarded(job, db_);
        if (!outcome.ok()) spdlog::error("job {} failed: {}", job.name, outcome.error().internal_detail);
        if (auto s = Finish(job, slot, started, outcome); !s.ok()) {
            spdlog::error("job {}: cannot record the run: {}", job.name, s.error().internal_detail);
        }
        ++ran;
    }
    return ran;
}

std::optional<Status> Scheduler::RunNow(const std::string& name) {
    for (const auto& job : jobs_) {
        if (job.name != name) continue;
        const int64_t started = NowUnix();
        Status outcome = RunGuarded(job, db_);
        // Recorded like a scheduled run, with slot 0 marking it as started by hand.
        auto tx = db_.Begin(storage::TxMode::kWrite);
        if (tx.ok()) {
            const std::string status = outcome.ok() ? "ok" : "failed: " + outcome.error().internal_detail;
            auto logged = (*tx)->Exec(
                "INSERT INTO job_runs (job, slot, instance, started_at, finished_at, status) VALUES (?, 0, ?, ?, ?, ?)",
                {job.name, instance_, started, NowUnix(), status});
            if (logged.ok()) (void)(*tx)->Commit();
        }
        return outcome;
    }
    return std::nullopt;
}

std::vector<std::pair<std::string, int64_t>> Scheduler::JobIntervals() const {
    std::vector<std::pair<std::string, int64_t>> out;
    for (const auto& job : jobs_) out.emplace_back(job.name, Interval(job));
    return out;
}

void Scheduler::Start(std::chrono::milliseconds poll) {
    for (const auto& job : jobs_) {
        if (auto s = Ensure(job); !s.ok()) spdlog::warn("job {}: {}", job.name, s.error().internal_detail);
    }
    thread_ = std::thread([this, poll] {
        std::unique_lock lock(mutex_);
        while (!stopping_) {
            lock.unlock();
            RunDue();
            lock.lock();
            wake_.wait_for(lock, poll, [this] { return stopping_; });
        }
    });
}

void Scheduler::Stop() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void AddStandardJobs(Scheduler& scheduler) {
    scheduler.Add({"sessions.purge", 3600, [](storage::Database& db) -> Status {
                       auto tx = db.Begin(storage::TxMode::kWrite);
                       if (!tx.ok()) return tx.take_error();
                       // Ended sessions are kept a week for the session list and audits, then go.
                       const int64_t cutoff = NowUnix() - 7 * 86400;
                       STORECRM_TRY((*tx)->Exec(
                           "DELETE FROM sessions WHERE expires_at < ? OR (revoked_at IS NOT NULL AND revoked_at < ?)",
                           {cutoff, cutoff}));
                       return (*tx)->Commit();
                   }});
    scheduler.Add({"idempotency.purge", 3600, [](storage::Database& db) -> Status {
                       auto tx = db.Begin(storage::TxMode::kWrite);
                       if (!tx.ok()) return tx.take_error();
                       // A POS retries within minutes; a week covers a till that was offline over
                       // a long holiday, and the sale itself stays unique by its receipt number.
                       STORECRM_TRY((*tx)->Exec("DELETE FROM idempotency_keys WHERE created_at < ?",
                                                {NowUnix() - 7 * 86400}));
                       return (*tx)->Commit();
                   }});
    scheduler.Add({"statistics.refresh", 6 * 3600,
                   [](storage::Database& db) -> Status { return db.RefreshStatistics(); }});
}

}  // namespace storecrm::jobs
