#pragma once
// Requests per key per minute, counted in fixed one-minute windows in memory: the cheap guard
// on public pages (per address) and exports (per caller). Thread-safe.

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace storecrm::security {

class RateLimiter {
public:
    explicit RateLimiter(int per_minute) : per_minute_(per_minute) {}
    // Counts the request; false when `key` is over its budget for this minute.
    bool Allow(const std::string& key);

private:
    struct Window {
        int64_t minute = 0;
        int count = 0;
    };
    int per_minute_;
    std::mutex mutex_;
    std::unordered_map<std::string, Window> windows_;
    int64_t swept_minute_ = 0;
};

}  // namespace storecrm::security
