#pragma once
// Runs periodic jobs on every instance while making sure each due slot runs exactly once
// across all of them: the jobs table holds each job's next slot and a lease, and an instance
// runs a job only after one conditional UPDATE moved the lease to it. A crashed instance's
// lease expires, so the slot is picked up by another. Works the same on SQLite and PostgreSQL.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "common/error.hpp"
#include "storage/database.hpp"

namespace storecrm::jobs {

struct Job {
    std::string name;
    int64_t interval_seconds;
    std::function<Status(storage::Database&)> run;
};

class Scheduler {
public:
    // `interval_override_seconds` > 0 replaces every job's interval (tests, drills).
    Scheduler(storage::Database& db, std::string instance, int64_t interval_override_seconds = 0);
    ~Scheduler();

    void Add(Job job);
    // Starts the polling thread; Stop() (or the destructor) ends it after the current job.
    void Start(std::chrono::milliseconds poll = std::chrono::milliseconds(1000));
    void Stop();

    // One pass over all jobs: claim, run and record whatever is due. Returns how many ran.
    int RunDue();

    // Runs one job at once, outside its schedule (an admin's "run now", tests); every job is
    // idempotent, so this may overlap a scheduled run. nullopt when there is no such job.
    std::optional<Status> RunNow(const std::string& name);
    // name → interval, in the order added.
    std::vector<std::pair<std::string, int64_t>> JobIntervals() const;

private:
    Status Ensure(const Job& job);
    Result<bool> Claim(const Job& job, int64_t* slot);
    Status Finish(const Job& job, int64_t slot, int64_t started, const Status& outcome);
    int64_t Interval(const Job& job) const;

    storage::Database& db_;
    std::string instance_;
    int64_t interval_override_;
    std::vector<Job> jobs_;
    std::thread thread_;
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
};

// The jobs every instance runs: purge of ended sessions and of week-old idempotency keys,
// planner statistics.
void AddStandardJobs(Scheduler& scheduler);

}  // namespace storecrm::jobs
