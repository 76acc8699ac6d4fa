#include "sales/sale_store.hpp"

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "loyalty/points_ledger.hpp"

namespace storecrm::sales {

using nlohmann::json;

Result<int64_t> InsertSale(storage::Transaction& tx, const SaleRow& s, const PricingResult& r) {
    auto row = tx.QueryOne(
        "INSERT INTO sales (store_id, terminal, receipt_no, member_id, cashier_id, guide_id, sold_at, subtotal, "
        "line_discount, tier_discount, coupon_discount, points_redeemed, points_value, total, points_earned, "
        "created_by_token, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {s.store_id, s.terminal, s.receipt_no, s.member_id, s.cashier_id, s.guide_id, s.sold_at, r.subtotal,
         r.line_discount, r.tier_discount, r.coupon_discount, r.points_redeemed, r.points_value, r.total,
         r.points_earned, s.created_by_token, NowUnix()});
    if (!row.ok()) return row.take_error();
    return (*row)->Int(0);
}

Status InsertSaleLine(storage::Transaction& tx, int64_t sale_id, int64_t line_no, const catalog::Product& p,
                      const PriceLine& in, const PricedLine& l) {
    // Deferred: on PostgreSQL the lines travel with the next statement that needs an answer.
    STORECRM_TRY(tx.Defer("INSERT INTO sale_lines (sale_id, line_no, product_id, sku, name, category_id, quantity, unit_price, "
              "discount, tier_discount, coupon_discount, points_used, points_value, amount, points_earned) "
              "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              {sale_id, line_no, p.id, p.sku, p.name, p.category_id, in.quantity, in.unit_price, l.discount,
               l.tier_discount, l.coupon_discount, l.points_used, l.points_value, l.amount, l.points_earned}));
    return Ok();
}

Status InsertPayment(storage::Transaction& tx, int64_t sale_id, const std::string& method, int64_t amount) {
    STORECRM_TRY(tx.Defer("INSERT INTO sale_payments (sale_id, method, amount) VALUES (?, ?, ?)", {sale_id, method, amount}));
    return Ok();
}

Result<int64_t> RecordPurchase(storage::Transaction& tx, int64_t member_id, int64_t amount, int64_t at) {
    auto row = tx.QueryOne(
        "UPDATE members SET total_spend = total_spend + ?, purchase_count = purchase_count + 1, "
        "first_purchase_at = CASE WHEN first_purchase_at IS NULL OR first_purchase_at > ? THEN ? ELSE first_purchase_at END, "
        "last_purchase_at = CASE WHEN last_purchase_at IS NULL OR last_purchase_at < ? THEN ? ELSE last_purchase_at END "
        "WHERE id = ? RETURNING purchase_count",
        {amount, at, at, at, at, member_id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Error::NotFound();
    return (*row)->Int(0);
}

Result<std::optional<SaleHeader>> LoadSaleHeader(storage::Transaction& tx, int64_t sale_id) {
    auto row = tx.QueryOne("SELECT id, store_id, member_id, status FROM sales WHERE id = ?", {sale_id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return std::optional<SaleHeader>();
    const auto& r = **row;
    return std::optional<SaleHeader>(SaleHeader{r.Int(0), r.Int(1), r.OptInt(2), r.Text(3)});
}

Result<std::vector<SaleLineRow>> LoadSaleLines(storage::Transaction& tx, int64_t sale_id) {
    auto rows = tx.Query(
        "SELECT id, line_no, product_id, quantity, refunded_quantity, unit_price, discount, tier_discount, "
        "coupon_discount, points_used, points_value, amount, points_earned FROM sale_lines WHERE sale_id = ? "
        "ORDER BY line_no",
        {sale_id});
    if (!rows.ok()) return rows.take_error();
    std::vector<SaleLineRow> out;
    for (const auto& r : *rows) {
        SaleLineRow l;
        l.id = r.Int(0);
        l.line_no = r.Int(1);
        l.product_id = r.Int(2);
        l.quantity = r.Int(3);
        l.refunded_quantity = r.Int(4);
        l.priced.gross = r.Int(3) * r.Int(5);
        l.priced.discount = r.Int(6);
        l.priced.tier_discount = r.Int(7);
        l.priced.coupon_discount = r.Int(8);
        l.priced.points_used = r.Int(9);
        l.priced.points_value = r.Int(10);
        l.priced.amount = r.Int(11);
        l.priced.points_earned = r.Int(12);
        out.push_back(l);
    }
    return out;
}

Result<int64_t> InsertRefund(storage::Transaction& tx, const SaleHeader& sale, const std::string& reason,
                             std::optional<int64_t> operator_id, int64_t now) {
    auto row = tx.QueryOne(
        "INSERT INTO refunds (sale_id, store_id, amount, points_reversed, points_restored, reason, operator_id, "
        "created_at) VALUES (?, ?, 0, 0, 0, ?, ?, ?) RETURNING id",
        {sale.id, sale.store_id, reason, operator_id, now});
    if (!row.ok()) return row.take_error();
    return (*row)->Int(0);
}

Status InsertRefundLine(storage::Transaction& tx, int64_t refund_id, int64_t sale_line_id, int64_t quantity,
                        int64_t amount) {
    STORECRM_TRY(tx.Exec("INSERT INTO refund_lines (refund_id, sale_line_id, quantity, amount) VALUES (?, ?, ?, ?)",
                         {refund_id, sale_line_id, quantity, amount}));
    STORECRM_TRY(tx.Exec("UPDATE sale_lines SET refunded_quantity = refunded_quantity + ? WHERE id = ?",
                         {quantity, sale_line_id}));
    return Ok();
}

Status FinishRefund(storage::Transaction& tx, int64_t refund_id, int64_t sale_id, int64_t amount, int64_t reversed,
                    int64_t restored, int64_t shortfall_value, bool all_returned) {
    STORECRM_TRY(tx.Exec(
        "UPDATE refunds SET amount = ?, points_reversed = ?, points_restored = ?, points_shortfall_value = ? WHERE id = ?",
        {amount, reversed, restored, shortfall_value, refund_id}));
    STORECRM_TRY(tx.Exec("UPDATE sales SET refunded_amount = refunded_amount + ?, status = ? WHERE id = ?",
                         {amount, all_returned ? "refunded" : "partially_refunded", sale_id}));
    return Ok();
}

Status RecordRefundOnMember(storage::Transaction& tx, int64_t member_id, int64_t amount, bool whole_sale) {
    STORECRM_TRY(tx.Exec(
        "UPDATE members SET total_spend = total_spend - ?, purchase_count = purchase_count - ? WHERE id = ?",
        {amount, whole_sale ? 1 : 0, member_id}));
    return Ok();
}

Status ReturnCouponsOfSale(storage::Transaction& tx, int64_t sale_id, int64_t now) {
    STORECRM_TRY(tx.Exec(
        "UPDATE coupons SET status = CASE WHEN valid_until > ? THEN 'issued' ELSE 'expired' END, used_at = NULL, "
        "sale_id = NULL, version = version + 1 WHERE sale_id = ? AND status = 'used'",
        {now, sale_id}));
    return Ok();
}

Status RevokeReferralOfSale(storage::Transaction& tx, int64_t sale_id, int64_t store_id, int64_t now) {
    auto referral = tx.QueryOne(
        "SELECT id, referrer_id, reward_points, coupon_id FROM referrals WHERE first_sale_id = ? AND status = 'rewarded'",
        {sale_id});
    if (!referral.ok()) return referral.take_error();
    if (!referral->has_value()) return Ok();
    const auto& r = **referral;
    STORECRM_TRY(loyalty::LockMember(tx, r.Int(1)));
    STORECRM_TRY(loyalty::TakeBackPoints(tx, {.member_id = r.Int(1), .points = r.Int(2), .kind = "referral",
                                              .reason = "referral.first_sale_refunded", .source_type = "referral",
                                              .source_id = r.Int(0), .store_id = store_id, .now = now}));
    // The reward coupon goes too, unless already used (then the points shortfall stands as the cost).
    if (!r.IsNull(3)) {
        STORECRM_TRY(tx.Exec("UPDATE coupons SET status = 'voided', version = version + 1 WHERE id = ? AND status = 'issued'",
                             {r.Int(3)}));
    }
    STORECRM_TRY(tx.Exec("UPDATE referrals SET status = 'revoked', updated_at = ? WHERE id = ?", {now, r.Int(0)}));
    return Ok();
}

json SaleListJson(const storage::Row& r) {
    return {{"id", r.Int(0)},
            {"store_id", r.Int(1)},
            {"terminal", r.Text(2)},
            {"receipt_no", r.Text(3)},
            {"member_id", r.IsNull(4) ? json() : json(r.Int(4))},
            {"sold_at", FormatIsoUtc(r.Int(5))},
            {"subtotal", r.Int(6)},
            {"total", r.Int(7)},
            {"points_earned", r.Int(8)},
            {"points_redeemed", r.Int(9)},
            {"refunded_amount", r.Int(10)},
            {"status", r.Text(11)},
            {"store_name", r.Text(12)},
            {"member_name", r.Text(13)},
            {"member_no", r.Text(14)}};
}

Result<SaleView> LoadSaleView(storage::Transaction& tx, int64_t sale_id) {
    auto head = tx.QueryOne(
        "SELECT s.id, s.store_id, s.terminal, s.receipt_no, s.member_id, s.cashier_id, s.guide_id, s.sold_at, s.subtotal, "
        "s.line_discount, s.tier_discount, s.coupon_discount, s.points_redeemed, s.points_value, s.total, "
        "s.points_earned, s.refunded_amount, s.status, st.name, st.code, st.address, st.timezone, COALESCE(c.name, '') "
        "FROM sales s JOIN stores st ON st.id = s.store_id LEFT JOIN staff c ON c.id = s.cashier_id WHERE s.id = ?",
        {sale_id});
    if (!head.ok()) return head.take_error();
    if (!head->has_value()) return Error::NotFound();
    const auto& h = **head;
    SaleView v;
    v.id = h.Int(0);
    v.store_id = h.Int(1);
    v.terminal = h.Text(2);
    v.receipt_no = h.Text(3);
    v.member_id = h.OptInt(4);
    v.cashier_id = h.OptInt(5);
    v.guide_id = h.OptInt(6);
    v.sold_at = h.Int(7);
    v.subtotal = h.Int(8);
    v.line_discount = h.Int(9);
    v.tier_discount = h.Int(10);
    v.coupon_discount = h.Int(11);
    v.points_redeemed = h.Int(12);
    v.points_value = h.Int(13);
    v.total = h.Int(14);
    v.points_earned = h.Int(15);
    v.refunded_amount = h.Int(16);
    v.status = h.Text(17);
    v.store = {h.Text(18), h.Text(19), h.Text(20), h.Text(21)};
    v.cashier_name = h.Text(22);
    auto lines = tx.Query(
        "SELECT line_no, product_id, sku, name, quantity, unit_price, discount, tier_discount, coupon_discount, "
        "points_used, points_value, amount, points_earned, refunded_quantity FROM sale_lines WHERE sale_id = ? "
        "ORDER BY line_no",
        {sale_id});
    if (!lines.ok()) return lines.take_error();
    for (const auto& l : *lines) {
        SaleView::Line line{l.Int(0), l.Int(1), l.Text(2), l.Text(3), l.Int(4), l.Int(5), l.Int(13), {}};
        line.priced.discount = l.Int(6);
        line.priced.tier_discount = l.Int(7);
        line.priced.coupon_discount = l.Int(8);
        line.priced.points_used = l.Int(9);
        line.priced.points_value = l.Int(10);
        line.priced.amount = l.Int(11);
        line.priced.points_earned = l.Int(12);
        v.lines.push_back(std::move(line));
    }
    auto payments = tx.Query("SELECT method, amount FROM sale_payments WHERE sale_id = ? ORDER BY id", {sale_id});
    if (!payments.ok()) return payments.take_error();
    for (const auto& p : *payments) v.payments.push_back({p.Text(0), p.Int(1)});
    auto coupons = tx.Query(
        "SELECT c.code, sc.discount, t.name FROM sale_coupons sc JOIN coupons c ON c.id = sc.coupon_id "
        "JOIN coupon_templates t ON t.id = c.template_id WHERE sc.sale_id = ? ORDER BY c.id",
        {sale_id});
    if (!coupons.ok()) return coupons.take_error();
    for (const auto& c : *coupons) v.coupons.push_back({c.Text(0), c.Int(1), c.Text(2)});
    auto refunds = tx.Query(
        "SELECT id, amount, points_reversed, points_restored, points_shortfall_value, reason, created_at FROM refunds "
        "WHERE sale_id = ? ORDER BY id",
        {sale_id});
    if (!refunds.ok()) return refunds.take_error();
    for (const auto& r : *refunds) {
        v.refunds.push_back({r.Int(0), r.Int(1), r.Int(2), r.Int(3), r.Int(4), r.Text(5), r.Int(6)});
    }
    return v;
}

Result<json> SaleViewJson(storage::Transaction& tx, const SaleView& v) {
    auto opt = [](const std::optional<int64_t>& x) { return x ? json(*x) : json(); };
    json sale = {{"id", v.id},
                 {"store_id", v.store_id},
                 {"terminal", v.terminal},
                 {"receipt_no", v.receipt_no},
                 {"member_id", opt(v.member_id)},
                 {"cashier_id", opt(v.cashier_id)},
                 {"guide_id", opt(v.guide_id)},
                 {"sold_at", FormatIsoUtc(v.sold_at)},
                 {"subtotal", v.subtotal},
                 {"line_discount", v.line_discount},
                 {"tier_discount", v.tier_discount},
                 {"coupon_discount", v.coupon_discount},
                 {"points_redeemed", v.points_redeemed},
                 {"points_value", v.points_value},
                 {"total", v.total},
                 {"points_earned", v.points_earned},
                 {"refunded_amount", v.refunded_amount},
                 {"status", v.status},
                 {"store", {{"id", v.store_id}, {"name", v.store.name}, {"code", v.store.code},
                            {"address", v.store.address}, {"timezone", v.store.timezone}}},
                 {"cashier_name", v.cashier_name}};
    sale["lines"] = json::array();
    for (const auto& l : v.lines) {
        sale["lines"].push_back({{"line_no", l.line_no}, {"product_id", l.product_id}, {"sku", l.sku}, {"name", l.name},
                                 {"quantity", l.quantity}, {"unit_price", l.unit_price}, {"discount", l.priced.discount},
                                 {"tier_discount", l.priced.tier_discount}, {"coupon_discount", l.priced.coupon_discount},
                                 {"points_used", l.priced.points_used}, {"points_value", l.priced.points_value},
                                 {"amount", l.priced.amount}, {"points_earned", l.priced.points_earned},
                                 {"refunded_quantity", l.refunded_quantity}});
    }
    sale["payments"] = json::array();
    for (const auto& p : v.payments) sale["payments"].push_back({{"method", p.method}, {"amount", p.amount}});
    sale["coupons"] = json::array();
    sale["coupon_codes"] = json::array();
    for (const auto& c : v.coupons) {
        sale["coupons"].push_back({{"code", c.code}, {"discount", c.discount}, {"name", c.name}});
        sale["coupon_codes"].push_back(c.code);
    }
    sale["refunds"] = json::array();
    for (const auto& r : v.refunds) {
        sale["refunds"].push_back({{"id", r.id}, {"amount", r.amount}, {"points_reversed", r.points_reversed},
                                   {"points_restored", r.points_restored},
                                   {"points_shortfall_value", r.points_shortfall_value}, {"reason", r.reason},
                                   {"created_at", FormatIsoUtc(r.created_at)}});
    }
    sale["member"] = nullptr;
    if (v.member_id) {
        auto m = tx.QueryOne(
            "SELECT m.id, m.member_no, m.name, m.phone_masked, m.points_balance, t.name, t.code FROM members m "
            "LEFT JOIN tiers t ON t.id = m.tier_id WHERE m.id = ?",
            {*v.member_id});
        if (!m.ok()) return m.take_error();
        if (m->has_value()) {
            const auto& r = **m;
            sale["member"] = {{"id", r.Int(0)}, {"member_no", r.Text(1)}, {"name", r.Text(2)}, {"phone", r.Text(3)},
                              {"points_balance", r.Int(4)},
                              {"tier", r.IsNull(5) ? json() : json({{"name", r.Text(5)}, {"code", r.Text(6)}})}};
        }
    }
    return sale;
}

Result<json> SaleJson(storage::Transaction& tx, int64_t sale_id) {
    auto view = LoadSaleView(tx, sale_id);
    if (!view.ok()) return view.take_error();
    return SaleViewJson(tx, *view);
}

Status MoveMemberActivity(storage::Transaction& tx, int64_t from, int64_t to) {
    for (const char* table : {"sales", "points_ledger", "points_lots", "coupons", "tier_changes"}) {
        STORECRM_TRY(tx.Exec(std::string("UPDATE ") + table + " SET member_id = ? WHERE member_id = ?", {to, from}));
    }
    STORECRM_TRY(tx.Exec("UPDATE referrals SET referrer_id = ? WHERE referrer_id = ?", {to, from}));
    // A referee row may exist for both; the survivor's own one stands.
    STORECRM_TRY(tx.Exec("DELETE FROM referrals WHERE referee_id = ? AND EXISTS (SELECT 1 FROM referrals r WHERE r.referee_id = ?)",
                         {from, to}));
    STORECRM_TRY(tx.Exec("UPDATE referrals SET referee_id = ? WHERE referee_id = ?", {to, from}));
    auto other = tx.QueryOne(
        "SELECT m.points_balance, m.total_spend, m.purchase_count, m.first_purchase_at, m.last_purchase_at, "
        "COALESCE(t.rank, -1), m.tier_id FROM members m LEFT JOIN tiers t ON t.id = m.tier_id WHERE m.id = ?",
        {from});
    if (!other.ok()) return other.take_error();
    if (!other->has_value()) return Ok();
    const auto& o = **other;
    STORECRM_TRY(tx.Exec(
        "UPDATE members SET points_balance = points_balance + ?, total_spend = total_spend + ?, "
        "purchase_count = purchase_count + ?, "
        "first_purchase_at = CASE WHEN first_purchase_at IS NULL OR first_purchase_at > ? THEN ? ELSE first_purchase_at END, "
        "last_purchase_at = CASE WHEN last_purchase_at IS NULL OR last_purchase_at < ? THEN ? ELSE last_purchase_at END "
        "WHERE id = ?",
        {o.Int(0), o.Int(1), o.Int(2), o.At(3), o.At(3), o.At(4), o.At(4), to}));
    auto survivor_rank = tx.QueryOne(
        "SELECT COALESCE(t.rank, -1) FROM members m LEFT JOIN tiers t ON t.id = m.tier_id WHERE m.id = ?", {to});
    if (!survivor_rank.ok()) return survivor_rank.take_error();
    if (o.Int(5) > (*survivor_rank)->Int(0)) {
        STORECRM_TRY(tx.Exec("UPDATE members SET tier_id = ? WHERE id = ?", {o.At(6), to}));
    }
    STORECRM_TRY(tx.Exec(
        "UPDATE members SET points_balance = 0, total_spend = 0, purchase_count = 0, tier_id = NULL WHERE id = ?", {from}));
    return Ok();
}

}  // namespace storecrm::sales
