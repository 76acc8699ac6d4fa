#include "security/rate_limiter.hpp"

namespace storecrm::security {

bool RateLimiter::Allow(const std::string& key) {
    const int64_t minute =
        std::chrono::duration_cast<std::chrono::minutes>(std::chrono::steady_clock::now().time_since_epoch()).count();
    std::lock_guard lock(mutex_);
    if (minute != swept_minute_) {  // forget last minute's callers
        std::erase_if(windows_, [minute](const auto& entry) { return entry.second.minute != minute; });
        swept_minute_ = minute;
    }
    Window& w = windows_[key];
    if (w.minute != minute) w = {minute, 0};
    return ++w.count <= per_minute_;
}

}  // namespace storecrm::security
