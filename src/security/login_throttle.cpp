#include "security/login_throttle.hpp"

namespace storecrm::security {

bool LoginThrottle::Take(std::unordered_map<std::string, std::deque<std::chrono::steady_clock::time_point>>& map,
                         const std::string& key, int limit, std::chrono::steady_clock::time_point now) {
    auto& times = map[key];
    while (!times.empty() && now - times.front() > window_) times.pop_front();
    if (static_cast<int>(times.size()) >= limit) return false;
    times.push_back(now);
    return true;
}

bool LoginThrottle::Allow(const std::string& address, const std::string& username) {
    std::lock_guard lock(mutex_);
    auto now = std::chrono::steady_clock::now();
    if (by_address_.size() > 100000) by_address_.clear();  // bound memory under a spray of addresses
    if (by_username_.size() > 100000) by_username_.clear();
    return Take(by_address_, address, per_address_, now) && Take(by_username_, username, per_username_, now);
}

}  // namespace storecrm::security
