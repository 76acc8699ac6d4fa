#include "common/metrics.hpp"

#include <malloc.h>

#include <array>
#include <cstdio>
#include <map>
#include <mutex>
#include <tuple>
#include <vector>

// jemalloc's control interface, present only when the binary links it (weak: null otherwise).
extern "C" int mallctl(const char* name, void* oldp, size_t* oldlenp, void* newp, size_t newlen)
    __attribute__((weak));

namespace storecrm::metrics {
namespace {

// Seconds; what a till notices starts around a quarter of a second.
constexpr std::array<double, 11> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

struct Histogram {
    std::array<uint64_t, kBuckets.size()> counts{};  // not cumulative; summed when rendered
    uint64_t count = 0;
    double sum = 0;
    void Observe(double seconds) {
        for (size_t i = 0; i < kBuckets.size(); ++i) {
            if (seconds <= kBuckets[i]) {
                ++counts[i];
                break;
            }
        }
        ++count;
        sum += seconds;
    }
};

struct Registry {
    std::mutex mutex;
    std::map<std::tuple<std::string, std::string, int>, uint64_t> requests;  // method, route, status
    std::map<std::string, Histogram> latency;                                 // by route
    std::map<std::pair<std::string, bool>, uint64_t> job_runs;                // job, ok
    std::map<std::string, double> job_seconds;
    Histogram read_tx, write_tx;
    std::vector<Collector> collectors;
};

Registry& Global() {
    static Registry registry;
    return registry;
}

// Label values are route patterns and job names; escape anyway (\\, ", newline).
std::string Escape(std::string_view value) {
    std::string out;
    for (char c : value) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

std::string Number(double v) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.6g", v);
    return buffer;
}

// What the C heap holds: live allocations, and freed memory the allocator keeps for reuse. A
// resident size growing with the second and not the first is fragmentation, not a leak.
struct HeapFigures {
    uint64_t in_use = 0;
    uint64_t free = 0;
    const char* source = "";
};

HeapFigures ReadHeap() {
    if (&mallctl != nullptr) {
        // The server links jemalloc (see CMakeLists.txt): glibc's mallinfo2 would report its own,
        // unused arenas. Stats are snapshots refreshed by writing the epoch.
        uint64_t epoch = 1;
        size_t size = sizeof epoch;
        mallctl("epoch", &epoch, &size, &epoch, size);
        size_t allocated = 0, resident = 0;
        size = sizeof allocated;
        mallctl("stats.allocated", &allocated, &size, nullptr, 0);
        size = sizeof resident;
        mallctl("stats.resident", &resident, &size, nullptr, 0);
        return {allocated, resident > allocated ? resident - allocated : 0, "jemalloc stats"};
    }
    const struct mallinfo2 heap = mallinfo2();
    return {heap.uordblks + heap.hblkhd, heap.fordblks, "glibc mallinfo2"};
}

void RenderHeap(std::string& out) {
    const HeapFigures heap = ReadHeap();
    out += std::string("# HELP storecrm_heap_in_use_bytes Bytes the process has allocated and not freed (") +
           heap.source + ").\n";
    out += "# TYPE storecrm_heap_in_use_bytes gauge\n";
    out += "storecrm_heap_in_use_bytes " + std::to_string(heap.in_use) + "\n";
    out += "# HELP storecrm_heap_free_bytes Freed bytes the allocator still holds resident.\n";
    out += "# TYPE storecrm_heap_free_bytes gauge\n";
    out += "storecrm_heap_free_bytes " + std::to_string(heap.free) + "\n";
}

void RenderHistogram(std::string& out, const std::string& name, const std::string& labels, const Histogram& h) {
    uint64_t cumulative = 0;
    const std::string sep = labels.empty() ? "" : ",";
    for (size_t i = 0; i < kBuckets.size(); ++i) {
        cumulative += h.counts[i];
        out += name + "_bucket{" + labels + sep + "le=\"" + Number(kBuckets[i]) + "\"} " + std::to_string(cumulative) + "\n";
    }
    out += name + "_bucket{" + labels + sep + "le=\"+Inf\"} " + std::to_string(h.count) + "\n";
    const std::string braces = labels.empty() ? "" : "{" + labels + "}";
    out += name + "_sum" + braces + " " + Number(h.sum) + "\n";
    out += name + "_count" + braces + " " + std::to_string(h.count) + "\n";
}

}  // namespace

void CountRequest(std::string_view method, std::string_view route, int status, double seconds) {
    auto& r = Global();
    std::lock_guard lock(r.mutex);
    ++r.requests[{std::string(method), std::string(route), status}];
    r.latency[std::string(route)].Observe(seconds);
}

void CountJobRun(std::string_view job, bool ok, double seconds) {
    auto& r = Global();
    std::lock_guard lock(r.mutex);
    ++r.job_runs[{std::string(job), ok}];
    r.job_seconds[std::string(job)] += seconds;
}

void ObserveTransaction(bool write, double seconds) {
    auto& r = Global();
    std::lock_guard lock(r.mutex);
    (write ? r.write_tx : r.read_tx).Observe(seconds);
}

void AddCollector(Collector collector) {
    auto& r = Global();
    std::lock_guard lock(r.mutex);
    r.collectors.push_back(std::move(collector));
}

std::string Render() {
    auto& r = Global();
    std::string out;
    std::vector<Collector> collectors;
    {
        std::lock_guard lock(r.mutex);
        out += "# HELP storecrm_http_requests_total API requests answered, by route pattern and status.\n";
        out += "# TYPE storecrm_http_requests_total counter\n";
        for (const auto& [key, n] : r.requests) {
            const auto& [method, route, status] = key;
            out += "storecrm_http_requests_total{method=\"" + Escape(method) + "\",route=\"" + Escape(route) +
                   "\",status=\"" + std::to_string(status) + "\"} " + std::to_string(n) + "\n";
        }
        uint64_t errors = 0;
        for (const auto& [key, n] : r.requests) {
            if (std::get<2>(key) >= 500) errors += n;
        }
        out += "# HELP storecrm_http_errors_total API requests answered with a 5xx status.\n";
        out += "# TYPE storecrm_http_errors_total counter\n";
        out += "storecrm_http_errors_total " + std::to_string(errors) + "\n";
        out += "# HELP storecrm_http_request_duration_seconds Time from dispatch to answer, by route pattern.\n";
        out += "# TYPE storecrm_http_request_duration_seconds histogram\n";
        for (const auto& [route, h] : r.latency) {
            RenderHistogram(out, "storecrm_http_request_duration_seconds", "route=\"" + Escape(route) + "\"", h);
        }
        out += "# HELP storecrm_job_runs_total Scheduled job runs, by job and outcome.\n";
        out += "# TYPE storecrm_job_runs_total counter\n";
        for (const auto& [key, n] : r.job_runs) {
            out += "storecrm_job_runs_total{job=\"" + Escape(key.first) + "\",outcome=\"" + (key.second ? "ok" : "failed") +
                   "\"} " + std::to_string(n) + "\n";
        }
        out += "# HELP storecrm_job_seconds_total Time spent running each job.\n";
        out += "# TYPE storecrm_job_seconds_total counter\n";
        for (const auto& [job, seconds] : r.job_seconds) {
            out += "storecrm_job_seconds_total{job=\"" + Escape(job) + "\"} " + Number(seconds) + "\n";
        }
        out += "# HELP storecrm_db_transaction_seconds Time API requests held a database transaction.\n";
        out += "# TYPE storecrm_db_transaction_seconds histogram\n";
        RenderHistogram(out, "storecrm_db_transaction_seconds", "mode=\"read\"", r.read_tx);
        RenderHistogram(out, "storecrm_db_transaction_seconds", "mode=\"write\"", r.write_tx);
        collectors = r.collectors;
    }
    RenderHeap(out);
    for (const auto& collect : collectors) collect(out);
    return out;
}

}  // namespace storecrm::metrics
