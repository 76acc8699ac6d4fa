// Demo sales history: a catalogue with categories that repurchase at different rhythms, tiers,
// coupon templates, and months of sales for the demo members — loyal, occasional, lapsed and
// one-off buyers, with weekly and seasonal peaks (Spring Festival, 618, Double 11/12), coupons,
// points redeemed and a few refunds. Every sale goes through the same checkout code as the till,
// so points, tiers, stock and coupons are exactly what real use would leave.
#include "app/demo_sales.hpp"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <random>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/text_fold.hpp"
#include "http/context.hpp"
#include "loyalty/coupons.hpp"
#include "sales/sale_service.hpp"
#include "security/permissions.hpp"

namespace storecrm::app {
namespace {

using nlohmann::json;

struct DemoCategory {
    const char* name;
    const char* parent;        // nullptr for a top-level category
    int points_pct;            // earn multiplier
    int repurchase_days;       // typical days between purchases of this kind
};

const DemoCategory kCategories[] = {
    {"服装", nullptr, 100, 60},   {"上衣", "服装", 100, 60},   {"裤装", "服装", 100, 90},
    {"鞋履", nullptr, 100, 120},  {"美妆护肤", nullptr, 150, 35}, {"食品饮料", nullptr, 100, 14},
    {"茶饮", "食品饮料", 100, 21}, {"零食", "食品饮料", 100, 10}, {"母婴", nullptr, 200, 25},
};

struct DemoProduct {
    const char* sku;
    const char* name;
    const char* category;
    int64_t price;
};

const DemoProduct kProducts[] = {
    {"SP-TEE-001", "纯棉圆领T恤", "上衣", 9900},       {"SP-TEE-002", "条纹长袖T恤", "上衣", 12900},
    {"SP-SHT-001", "牛津纺衬衫", "上衣", 19900},        {"SP-KNT-001", "羊毛针织开衫", "上衣", 39900},
    {"SP-JKT-001", "轻薄羽绒服", "上衣", 59900},        {"SP-PNT-001", "直筒牛仔裤", "裤装", 29900},
    {"SP-PNT-002", "休闲九分裤", "裤装", 19900},        {"SP-SKT-001", "百褶半身裙", "裤装", 22900},
    {"SP-SHO-001", "白色板鞋", "鞋履", 39900},          {"SP-SHO-002", "跑步鞋", "鞋履", 59900},
    {"SP-BTY-001", "保湿精华液 30ml", "美妆护肤", 29900}, {"SP-BTY-002", "氨基酸洁面乳", "美妆护肤", 8900},
    {"SP-BTY-003", "防晒乳 SPF50", "美妆护肤", 15900},  {"SP-BTY-004", "润唇膏", "美妆护肤", 4900},
    {"SP-TEA-001", "西湖龙井 250g", "茶饮", 26800},     {"SP-TEA-002", "冷萃咖啡 6 瓶装", "茶饮", 5900},
    {"SP-SNK-001", "每日坚果 7 袋", "零食", 3990},      {"SP-SNK-002", "海苔脆片", "零食", 1590},
    {"SP-SNK-003", "黑巧克力 100g", "零食", 2990},      {"SP-FOD-001", "有机大米 5kg", "食品饮料", 6990},
    {"SP-BAB-001", "婴儿纸尿裤 L 码", "母婴", 12900},   {"SP-BAB-002", "宝宝湿巾 80 抽", "母婴", 1990},
    {"SP-BAB-003", "婴幼儿奶粉 3 段", "母婴", 25800},
};

// How busy a month is, January = 0: Spring Festival, spring, 618, summer, Double 11, Double 12.
constexpr double kMonthWeight[] = {1.35, 1.25, 0.9, 0.95, 1.0, 1.3, 0.9, 0.9, 1.0, 1.05, 1.5, 1.3};

enum class Habit { kLoyal, kOccasional, kLapsed, kOneOff };

struct DemoBuyer {
    int64_t member_id;
    int64_t store_id;
    int64_t registered_at;
    Habit habit;
    std::vector<size_t> favourite_categories;  // indexes into kCategories
};

struct PlannedSale {
    int64_t at;
    size_t buyer;
};

http::Request PostRequest(const std::string& path, const json& body) {
    http::Request r;
    r.method = "POST";
    r.path = path;
    r.body = body.dump();
    r.remote_ip = "demo";
    return r;
}

security::Principal DemoPrincipal() {
    security::Principal p;
    p.kind = security::Principal::Kind::kSystem;
    p.name = "demo";
    p.all_stores = true;
    for (const auto& perm : security::AllPermissions()) p.permissions.insert(perm.code);
    return p;
}

std::string IsoAt(int64_t t) { return FormatIsoUtc(t); }

// Categories, products, opening stock, tiers, coupon templates and loyalty settings.
Status CreateCatalogue(storage::Transaction& tx, const std::vector<int64_t>& store_ids, int64_t now,
                       std::vector<int64_t>& template_ids) {
    std::map<std::string, int64_t> category_ids;
    for (const auto& c : kCategories) {
        auto row = tx.QueryOne(
            "INSERT INTO product_categories (parent_id, name, points_multiplier_pct, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?) RETURNING id",
            {c.parent ? storage::Value(category_ids[c.parent]) : storage::Value(), c.name, c.points_pct, now, now});
        if (!row.ok()) return row.take_error();
        category_ids[c.name] = (**row).Int(0);
    }
    int barcode = 0;
    for (const auto& p : kProducts) {
        auto row = tx.QueryOne(
            "INSERT INTO products (sku, barcode, name, name_fold, category_id, price, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            {p.sku, "690" + std::to_string(1000000000 + ++barcode), p.name, FoldText(p.name), category_ids[p.category], p.price,
             now, now});
        if (!row.ok()) return row.take_error();
        for (int64_t store : store_ids) {
            STORECRM_TRY(tx.Exec(
                "INSERT INTO stock (store_id, product_id, quantity, low_threshold) VALUES (?, ?, 3000, 20)",
                {store, (**row).Int(0)}));
            STORECRM_TRY(tx.Exec(
                "INSERT INTO stock_movements (store_id, product_id, quantity, reason, source_type, note, created_at) "
                "VALUES (?, ?, 3000, 'adjustment', 'demo', '期初库存', ?)",
                {store, (**row).Int(0), now - 550 * 86400}));
        }
    }
    STORECRM_TRY(tx.Exec(
        "INSERT INTO tiers (code, name, rank, qualify_by, window_days, threshold, discount_pct, points_multiplier_pct, "
        "birthday_points, privileges, grace_days, created_at, updated_at) VALUES "
        "('silver', '银卡', 1, 'spend', 365, 100000, 3, 120, 100, '生日双倍积分', 30, ?, ?), "
        "('gold', '金卡', 2, 'spend', 365, 500000, 5, 150, 300, '生日礼券；免费改衣', 30, ?, ?), "
        "('diamond', '钻石卡', 3, 'spend', 365, 2000000, 8, 200, 800, '专属导购；新品优先购', 60, ?, ?)",
        {now, now, now, now, now, now}));
    struct Template {
        const char* name;
        const char* kind;
        int64_t amount_off, percent_off, max_discount, min_spend;
        const char* gift_sku;
        int64_t valid_days;
    };
    const Template templates[] = {
        {"满200减30", "amount_off", 3000, 0, 0, 20000, "", 30},
        {"全场9折券", "percent_off", 0, 10, 5000, 0, "", 14},
        {"生日礼：润唇膏", "gift", 0, 0, 0, 0, "SP-BTY-004", 30},
        {"回店礼 满100减20", "amount_off", 2000, 0, 0, 10000, "", 3},
    };
    for (const auto& t : templates) {
        auto row = tx.QueryOne(
            "INSERT INTO coupon_templates (name, kind, amount_off, percent_off, max_discount, min_spend, gift_sku, "
            "valid_days, per_member_limit, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?) RETURNING id",
            {t.name, t.kind, t.amount_off, t.percent_off, t.max_discount, t.min_spend, t.gift_sku, t.valid_days, now, now});
        if (!row.ok()) return row.take_error();
        template_ids.push_back((**row).Int(0));
    }
    STORECRM_TRY(tx.Exec("UPDATE loyalty_settings SET value = '3' WHERE key = 'member_day'"));  // Wednesday 会员日
    return Ok();
}

}  // namespace

bool CreateDemoSales(storage::Database& db, security::FieldVault& vault, int months) {
    auto report = [](const Error& e) {
        std::cerr << "demo sales failed: " << e.message.key << " " << e.internal_detail;
        for (const auto& f : e.fields) std::cerr << " [" << f.field << ": " << f.message.key << "]";
        std::cerr << "\n";
        return false;
    };
    const int64_t now = NowUnix();
    std::vector<int64_t> store_ids, template_ids;
    std::vector<DemoBuyer> buyers;
    std::mt19937_64 rng(20261128);
    auto uniform = [&](double a, double b) { return std::uniform_real_distribution<double>(a, b)(rng); };
    auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
    {
        auto tx = db.Begin(storage::TxMode::kWrite);
        if (!tx.ok()) return report(tx.error());
        auto sales = (*tx)->QueryOne("SELECT COUNT(*) FROM products");
        if (!sales.ok()) return report(sales.error());
        if ((**sales).Int(0) > 0) return true;  // already has a catalogue: leave it alone
        auto stores = (*tx)->Query("SELECT id FROM stores ORDER BY id");
        if (!stores.ok()) return report(stores.error());
        for (const auto& r : *stores) store_ids.push_back(r.Int(0));
        if (auto s = CreateCatalogue(**tx, store_ids, now, template_ids); !s.ok()) return report(s.error());
        auto members = (*tx)->Query("SELECT id, home_store_id, created_at FROM members WHERE status = 'active' ORDER BY id");
        if (!members.ok()) return report(members.error());
        for (const auto& m : *members) {
            DemoBuyer b{m.Int(0), m.Int(1), m.Int(2), Habit::kOccasional, {}};
            const double r = uniform(0, 1);
            b.habit = r < 0.15 ? Habit::kLoyal : r < 0.6 ? Habit::kOccasional : r < 0.85 ? Habit::kLapsed : Habit::kOneOff;
            for (int k = 0; k < 2; ++k) b.favourite_categories.push_back(pick(std::size(kCategories)));
            buyers.push_back(std::move(b));
        }
        if (auto c = (*tx)->Commit(); !c.ok()) return report(c.error());
    }

    // Plan every sale: each buyer's visits follow their habit, thinned by season and weekday.
    const int64_t start = now - static_cast<int64_t>(months) * 30 * 86400;
    std::vector<PlannedSale> plan;
    for (size_t i = 0; i < buyers.size(); ++i) {
        const auto& b = buyers[i];
        const double mean_gap = b.habit == Habit::kLoyal ? 18 : b.habit == Habit::kOccasional ? 70 : 45;
        int64_t t = std::max(start, b.registered_at) + static_cast<int64_t>(uniform(0, mean_gap) * 86400);
        // Lapsed buyers stop somewhere in the first two thirds of the period.
        const int64_t stop = b.habit == Habit::kLapsed ? start + static_cast<int64_t>(uniform(0.1, 0.66) * (now - start)) : now;
        int visits = 0;
        while (t < stop && months > 0) {
            std::time_t tt = t + 8 * 3600;  // the demo stores are in Asia/Shanghai
            std::tm local{};
            gmtime_r(&tt, &local);
            const double weekday = local.tm_wday == 0 || local.tm_wday == 6 ? 1.3 : 0.9;
            if (uniform(0, 1.6) < kMonthWeight[local.tm_mon] * weekday) {
                // Opening hours 10:00–21:30 Beijing time.
                const int64_t day_start = t - (t + 8 * 3600) % 86400;
                const int64_t at = day_start + 10 * 3600 + static_cast<int64_t>(uniform(0, 11.5 * 3600));
                if (at < now - 60) plan.push_back({at, i});
                if (b.habit == Habit::kOneOff || ++visits > 400) break;
            }
            t += static_cast<int64_t>(std::max(1.0, -std::log(uniform(0.01, 1.0)) * mean_gap) * 86400);
        }
    }
    std::sort(plan.begin(), plan.end(), [](const PlannedSale& a, const PlannedSale& b) { return a.at < b.at; });

    Services services{.db = &db, .vault = &vault};
    const security::Principal principal = DemoPrincipal();
    size_t done = 0, refunds = 0;
    std::vector<int64_t> recent_sales;
    for (size_t begin = 0; begin < plan.size(); begin += 400) {
        auto tx = db.Begin(storage::TxMode::kWrite);
        if (!tx.ok()) return report(tx.error());
        for (size_t k = begin; k < std::min(plan.size(), begin + 400); ++k) {
            const auto& planned = plan[k];
            const auto& buyer = buyers[planned.buyer];
            json body = {{"store_id", buyer.store_id}, {"terminal", "POS1"}, {"member_id", buyer.member_id},
                         {"sold_at", IsoAt(planned.at)}, {"lines", json::array()}};
            const size_t lines = 1 + pick(3);
            for (size_t l = 0; l < lines; ++l) {
                // Mostly the buyer's favourite kinds, sometimes anything.
                const char* wanted = kCategories[buyer.favourite_categories[pick(2)]].name;
                std::vector<const DemoProduct*> choice;
                for (const auto& p : kProducts) {
                    if (std::string(p.category) == wanted || (pick(10) == 0)) choice.push_back(&p);
                }
                if (choice.empty()) choice.push_back(&kProducts[pick(std::size(kProducts))]);
                const auto* product = choice[pick(choice.size())];
                body["lines"].push_back({{"sku", product->sku}, {"quantity", 1 + (pick(5) == 0 ? 1 : 0)}});
            }
            // A coupon now and then (issued a few days before), points when the balance allows.
            if (pick(100) < 12) {
                auto tmpl = loyalty::LoadTemplate(**tx, template_ids[pick(2)]);
                if (!tmpl.ok()) return report(tmpl.error());
                auto coupon = loyalty::IssueCoupon(**tx, **tmpl,
                                                   {.member_id = buyer.member_id, .reason = "bulk", .now = planned.at - 2 * 86400});
                if (!coupon.ok()) return report(coupon.error());
                auto code = (*tx)->QueryOne("SELECT code FROM coupons WHERE id = ?", {*coupon});
                if (!code.ok()) return report(code.error());
                body["coupon_codes"] = {(**code).Text(0)};
            }
            const http::Request quote_request = PostRequest("/api/v1/sales/quote", body);
            http::RequestContext quote_ctx(quote_request, Locale::kZhCN, principal, **tx, services, true);
            http::BodyReader quote_body(json::parse(quote_request.body));
            auto input = sales::ReadSaleInput(quote_body, principal, true);
            if (!input.ok()) return report(input.error());
            auto quote = sales::QuoteSale(quote_ctx, *input);
            if (!quote.ok()) {
                body.erase("coupon_codes");  // the basket missed the coupon's threshold: sell without it
                http::BodyReader retry_body(body);
                input = sales::ReadSaleInput(retry_body, principal, true);
                quote = sales::QuoteSale(quote_ctx, *input);
                if (!quote.ok()) return report(quote.error());
            }
            const int64_t balance = (*quote).value("points_balance", int64_t{0});
            if (balance >= 1000 && pick(100) < 25) {
                const int64_t points = std::min<int64_t>((*quote)["max_redeemable_points"].get<int64_t>(), balance) / 100 * 100;
                if (points > 0) {
                    body["points_redeemed"] = points;
                    input->points_redeemed = points;
                    quote = sales::QuoteSale(quote_ctx, *input);
                    if (!quote.ok()) return report(quote.error());
                }
            }
            const char* methods[] = {"wechat_pay", "wechat_pay", "alipay", "bank_card", "cash"};
            body["payments"] = {{{"method", methods[pick(std::size(methods))]}, {"amount", (*quote)["total"]}}};
            const http::Request sale_request = PostRequest("/api/v1/sales", body);
            http::RequestContext ctx(sale_request, Locale::kZhCN, principal, **tx, services, false);
            if (auto s = sales::PrepareSale(ctx); !s.ok()) return report(s.error());
            auto sale = sales::CompleteSale(ctx);
            if (!sale.ok()) return report(sale.error());
            ++done;
            if (planned.at > now - 45 * 86400) recent_sales.push_back((*sale)["id"].get<int64_t>());
        }
        if (auto c = (*tx)->Commit(); !c.ok()) return report(c.error());
    }

    // About 3% of the recent sales come back, whole or one line.
    if (!recent_sales.empty()) {
        auto tx = db.Begin(storage::TxMode::kWrite);
        if (!tx.ok()) return report(tx.error());
        for (size_t i = 0; i < recent_sales.size(); i += 33) {
            json body = json::object({{"reason", pick(2) ? "尺码不合适" : "质量问题"}});
            if (pick(2)) body["lines"] = {{{"line_no", 1}, {"quantity", 1}}};
            const http::Request request = PostRequest("/api/v1/sales/" + std::to_string(recent_sales[i]) + "/refunds", body);
            http::RequestContext ctx(request, Locale::kZhCN, principal, **tx, services, false);
            http::BodyReader reader(body);
            auto input = sales::ReadRefundInput(reader);
            if (!input.ok()) return report(input.error());
            auto refund = sales::RefundSale(ctx, recent_sales[i], *input);
            if (!refund.ok()) return report(refund.error());
            ++refunds;
        }
        if (auto c = (*tx)->Commit(); !c.ok()) return report(c.error());
    }
    {
        // The demo rang its sales up as the system; credit them to each store's cashier and to
        // the member's guide, as a till would, so staff reports have someone to rank.
        auto tx = db.Begin(storage::TxMode::kWrite);
        if (!tx.ok()) return report(tx.error());
        auto credited = (*tx)->Exec(
            "UPDATE sales SET cashier_id = (SELECT MIN(ss.staff_id) FROM staff_stores ss JOIN staff st ON st.id = "
            "ss.staff_id JOIN roles r ON r.id = st.role_id WHERE ss.store_id = sales.store_id AND r.code = 'cashier'), "
            "guide_id = (SELECT m.guide_id FROM members m WHERE m.id = sales.member_id) WHERE cashier_id IS NULL");
        if (!credited.ok()) return report(credited.error());
        if (auto c = (*tx)->Commit(); !c.ok()) return report(c.error());
    }
    (void)db.RefreshStatistics();
    std::cout << "Demo sales created: " << std::size(kProducts) << " products, " << done << " sales over " << months
              << " months, " << refunds << " refunds.\n";
    return true;
}

}  // namespace storecrm::app
