#include "marketing/campaign_rules.hpp"

#include <algorithm>
#include <cmath>

namespace storecrm::marketing {

bool InControlGroup(int64_t campaign_id, int64_t member_id, int control_pct) {
    if (control_pct <= 0) return false;
    // splitmix64 of the pair: well mixed, so consecutive member ids do not cluster.
    uint64_t x = (static_cast<uint64_t>(campaign_id) << 32) ^ static_cast<uint64_t>(member_id);
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return static_cast<int>(x % 100) < control_pct;
}

const std::vector<std::string>& TemplateVariables() {
    static const std::vector<std::string> vars = {"name", "points", "tier", "coupon_code", "store", "expiry",
                                                  "next_best"};
    return vars;
}

namespace {

template <typename F>
void EachPlaceholder(const std::string& text, F&& f) {
    size_t i = 0;
    while ((i = text.find('{', i)) != std::string::npos) {
        const size_t end = text.find('}', i + 1);
        if (end == std::string::npos) return;
        const std::string name = text.substr(i + 1, end - i - 1);
        const bool word = !name.empty() && name.size() <= 32 &&
                          std::all_of(name.begin(), name.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
        if (word) f(i, end, name);
        i = end + 1;
    }
}

}  // namespace

std::vector<std::string> UnknownPlaceholders(const std::string& text) {
    std::vector<std::string> out;
    const auto& known = TemplateVariables();
    EachPlaceholder(text, [&](size_t, size_t, const std::string& name) {
        if (std::find(known.begin(), known.end(), name) == known.end()) out.push_back(name);
    });
    return out;
}

std::string RenderTemplate(const std::string& text, const std::map<std::string, std::string>& values) {
    std::string out;
    size_t copied = 0;
    EachPlaceholder(text, [&](size_t start, size_t end, const std::string& name) {
        auto it = values.find(name);
        if (it == values.end()) return;
        out.append(text, copied, start - copied);
        out += it->second;
        copied = end + 1;
    });
    out.append(text, copied, std::string::npos);
    return out;
}

int ParseClock(const std::string& t) {
    if (t.size() != 5 || t[2] != ':' || !std::isdigit(static_cast<unsigned char>(t[0])) ||
        !std::isdigit(static_cast<unsigned char>(t[1])) || !std::isdigit(static_cast<unsigned char>(t[3])) ||
        !std::isdigit(static_cast<unsigned char>(t[4]))) {
        return -1;
    }
    const int h = (t[0] - '0') * 10 + (t[1] - '0');
    const int m = (t[3] - '0') * 10 + (t[4] - '0');
    return h < 24 && m < 60 ? h * 60 + m : -1;
}

int64_t QuietHoursRelease(int64_t now, int64_t day_start, int quiet_start, int quiet_end) {
    if (quiet_start == quiet_end || quiet_start < 0 || quiet_end < 0) return now;
    const int minute = static_cast<int>((now - day_start) / 60);
    if (quiet_start < quiet_end) {  // e.g. 12:00–14:00
        return minute >= quiet_start && minute < quiet_end ? day_start + quiet_end * 60 : now;
    }
    // Wraps midnight, e.g. 21:00–09:00.
    if (minute >= quiet_start) return day_start + 86400 + quiet_end * 60;
    if (minute < quiet_end) return day_start + quiet_end * 60;
    return now;
}

Uplift MeasureUplift(const GroupOutcome& t, const GroupOutcome& c) {
    Uplift u;
    if (t.members == 0 || c.members == 0) return u;
    u.measurable = true;
    constexpr double z = 1.959964;
    const double pt = static_cast<double>(t.buyers) / t.members, pc = static_cast<double>(c.buyers) / c.members;
    const double se_p = std::sqrt(pt * (1 - pt) / t.members + pc * (1 - pc) / c.members);
    u.conversion_points = (pt - pc) * 100;
    u.conversion_low = (pt - pc - z * se_p) * 100;
    u.conversion_high = (pt - pc + z * se_p) * 100;
    const double mt = t.revenue / t.members, mc = c.revenue / c.members;
    auto variance = [](const GroupOutcome& g, double mean) {
        if (g.members < 2) return 0.0;
        return std::max(0.0, (g.revenue_sq - g.members * mean * mean) / (g.members - 1));
    };
    const double se_m = std::sqrt(variance(t, mt) / t.members + variance(c, mc) / c.members);
    u.revenue_per_member = mt - mc;
    u.revenue_low = mt - mc - z * se_m;
    u.revenue_high = mt - mc + z * se_m;
    return u;
}

}  // namespace storecrm::marketing
