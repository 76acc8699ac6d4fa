// GET /campaigns/{id}/results: what was sent and what it did — delivery counts, opt-outs,
// coupons redeemed, and purchases within the result window for the audience against the
// held-out control group, with the uplift and its 95 % interval.
#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "http/json_response.hpp"
#include "marketing/campaign_rules.hpp"
#include "marketing/routes.hpp"

namespace storecrm::marketing {
namespace {

using http::RequestContext;
using nlohmann::json;

constexpr int64_t kDay = 86400;

json GroupJson(const GroupOutcome& g) {
    const double members = static_cast<double>(std::max<int64_t>(g.members, 1));
    return {{"members", g.members},
            {"buyers", g.buyers},
            {"conversion_pct", g.members ? 100.0 * g.buyers / members : 0.0},
            {"revenue", static_cast<int64_t>(g.revenue)},
            {"revenue_per_member", g.members ? g.revenue / members : 0.0}};
}

Result<http::Response> Results(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto c = ctx.tx.QueryOne("SELECT name, channel, result_days, coupon_template_id FROM campaigns WHERE id = ?", {*id});
    if (!c.ok()) return c.take_error();
    if (!c->has_value()) return Error::NotFound();
    const int64_t days = (*c)->Int(2);
    const std::string channel = (*c)->Text(1);

    json outcomes = {{"queued", 0}, {"control", 0}, {"no_consent", 0}, {"capped", 0}, {"no_address", 0}, {"minor", 0}};
    auto counts = ctx.tx.Query("SELECT outcome, COUNT(*) FROM campaign_recipients WHERE campaign_id = ? GROUP BY outcome", {*id});
    if (!counts.ok()) return counts.take_error();
    for (const auto& r : *counts) outcomes[r.Text(0)] = r.Int(1);

    json messages = {{"queued", 0}, {"sending", 0}, {"sent", 0}, {"failed", 0}, {"suppressed", 0}};
    auto sent = ctx.tx.Query("SELECT status, COUNT(*) FROM messages WHERE campaign_id = ? AND purpose = 'marketing' GROUP BY status",
                             {*id});
    if (!sent.ok()) return sent.take_error();
    for (const auto& r : *sent) messages[r.Text(0)] = r.Int(1);

    // Opt-outs: recipients who withdrew this channel's consent within the window after it.
    auto unsubscribed = ctx.tx.QueryOne(
        "SELECT COUNT(DISTINCT r.member_id) FROM campaign_recipients r JOIN member_consents c ON c.member_id = r.member_id "
        "AND c.channel = ? AND c.purpose = 'marketing' AND c.granted = 0 AND c.at >= r.created_at AND c.at < r.created_at + ? "
        "WHERE r.campaign_id = ? AND r.outcome = 'queued'",
        {channel, days * kDay, *id});
    if (!unsubscribed.ok()) return unsubscribed.take_error();
    auto coupons = ctx.tx.QueryOne(
        "SELECT COUNT(k.id), SUM(CASE WHEN k.status = 'used' THEN 1 ELSE 0 END) FROM campaign_recipients r JOIN coupons k ON "
        "k.id = r.coupon_id WHERE r.campaign_id = ?",
        {*id});
    if (!coupons.ok()) return coupons.take_error();

    // Per member of each group: purchases and net spend from the moment they were (or would
    // have been) sent to, for the result window.
    auto per_member = ctx.tx.Query(
        "SELECT r.outcome, r.member_id, COUNT(s.id), COALESCE(SUM(s.total - s.refunded_amount), 0) FROM campaign_recipients r "
        "LEFT JOIN sales s ON s.member_id = r.member_id AND s.sold_at >= r.created_at AND s.sold_at < r.created_at + ? "
        "WHERE r.campaign_id = ? AND r.outcome IN ('queued', 'control') GROUP BY r.id, r.outcome, r.member_id",
        {days * kDay, *id});
    if (!per_member.ok()) return per_member.take_error();
    GroupOutcome treatment, control;
    for (const auto& r : *per_member) {
        GroupOutcome& g = r.Text(0) == "queued" ? treatment : control;
        const double revenue = static_cast<double>(r.Int(3));
        g.members += 1;
        g.buyers += r.Int(2) > 0 ? 1 : 0;
        g.revenue += revenue;
        g.revenue_sq += revenue * revenue;
    }
    const Uplift u = MeasureUplift(treatment, control);
    auto window = ctx.tx.QueryOne("SELECT MIN(created_at), MAX(created_at) FROM campaign_recipients WHERE campaign_id = ?", {*id});
    if (!window.ok()) return window.take_error();
    const bool complete = !(*window)->IsNull(1) && NowUnix() >= (*window)->Int(1) + days * kDay;
    json uplift = nullptr;
    if (u.measurable) {
        uplift = {{"conversion_points", u.conversion_points},
                  {"conversion_ci95", {u.conversion_low, u.conversion_high}},
                  {"revenue_per_member", u.revenue_per_member},
                  {"revenue_per_member_ci95", {u.revenue_low, u.revenue_high}},
                  {"significant", u.conversion_low > 0 || u.conversion_high < 0}};
    }
    return http::JsonOk(json{{"campaign_id", *id},
                             {"name", (*c)->Text(0)},
                             {"channel", channel},
                             {"result_days", days},
                             {"window_complete", complete},
                             {"recipients", outcomes},
                             {"messages", messages},
                             {"delivered", messages["sent"]},
                             {"unsubscribed", (*unsubscribed)->Int(0)},
                             {"coupons", {{"issued", (*coupons)->Int(0)}, {"redeemed", (*coupons)->OptInt(1).value_or(0)}}},
                             {"treatment", GroupJson(treatment)},
                             {"control", GroupJson(control)},
                             {"uplift", uplift}});
}

}  // namespace

void RegisterCampaignResultRoutes(http::Router& router) {
    router.Add({.method = "GET", .pattern = "/api/v1/campaigns/{id}/results", .permission = "campaigns.manage",
                .tag = "campaigns",
                .summary = "Sent, delivered, failed, opted out, coupons redeemed, purchases vs the control group with uplift",
                .handler = Results});
}

}  // namespace storecrm::marketing
