#pragma once
// Throttles password attempts per source address and per username in memory, before any
// Argon2 hash is computed, so a flood of guesses cannot burn the server's CPU. The durable
// lock-out after repeated failures lives in the database (staff.locked_until); this is the
// cheap first line. Thread-safe.

#include <chrono>
#include <deque>
#include <mutex>
#include <string>
#include <unordered_map>

namespace storecrm::security {

class LoginThrottle {
public:
    LoginThrottle(int per_address, int per_username, std::chrono::seconds window)
        : per_address_(per_address), per_username_(per_username), window_(window) {}

    // Records an attempt; false when the address or username is over its budget.
    bool Allow(const std::string& address, const std::string& username);

private:
    bool Take(std::unordered_map<std::string, std::deque<std::chrono::steady_clock::time_point>>& map,
              const std::string& key, int limit, std::chrono::steady_clock::time_point now);

    int per_address_;
    int per_username_;
    std::chrono::seconds window_;
    std::mutex mutex_;
    std::unordered_map<std::string, std::deque<std::chrono::steady_clock::time_point>> by_address_;
    std::unordered_map<std::string, std::deque<std::chrono::steady_clock::time_point>> by_username_;
};

}  // namespace storecrm::security
