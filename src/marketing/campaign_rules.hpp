#pragma once
// The pure rules of sending: who is held out as the control group, how a template is filled,
// when quiet hours end, and how the effect is measured (uplift with a confidence interval).

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace storecrm::marketing {

// Stable per (campaign, member): the same member is always in or out of a campaign's control
// group, whatever order or instance enqueues them; about `control_pct` % are in.
bool InControlGroup(int64_t campaign_id, int64_t member_id, int control_pct);

// The variables a template may use.
const std::vector<std::string>& TemplateVariables();  // name, points, tier, coupon_code, store, expiry
// Placeholders in `text` that are not template variables ("{foo}"), for a field error.
std::vector<std::string> UnknownPlaceholders(const std::string& text);
std::string RenderTemplate(const std::string& text, const std::map<std::string, std::string>& values);

// Minutes of the local day, "HH:MM" → 0–1439; -1 when malformed.
int ParseClock(const std::string& hh_mm);
// When a message due at `now` may go out: `now` outside quiet hours, else the end of them.
// `day_start` is the local midnight (UTC seconds) of the day `now` falls in. Quiet hours may
// wrap midnight (21:00–09:00); equal start and end means none.
int64_t QuietHoursRelease(int64_t now, int64_t day_start, int quiet_start, int quiet_end);

// A two-group comparison: the share who bought (conversion) and revenue per member.
struct GroupOutcome {
    int64_t members = 0;
    int64_t buyers = 0;
    double revenue = 0;      // fen
    double revenue_sq = 0;   // Σ revenue² per member, for the variance
};
struct Uplift {
    double conversion_points = 0;        // treatment − control, percentage points
    double conversion_low = 0, conversion_high = 0;  // 95 % interval
    double revenue_per_member = 0;       // fen, treatment − control
    double revenue_low = 0, revenue_high = 0;
    bool measurable = false;             // both groups have members
};
// Difference of proportions (Wald) and of means (Welch), normal 95 % intervals.
Uplift MeasureUplift(const GroupOutcome& treatment, const GroupOutcome& control);

}  // namespace storecrm::marketing
