#include "analytics/history_import.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_map>

#include "common/clock.hpp"
#include "common/csv.hpp"
#include "common/text_fold.hpp"
#include "members/member_repository.hpp"
#include "service/business_hours.hpp"

namespace storecrm::analytics {
namespace {

constexpr const char* kSource = "online-retail";
constexpr const char* kTill = "HISTORY";
constexpr size_t kMaxProblems = 50;

struct Row {
    size_t number = 0;  // in the file, the header being row 1
    std::string invoice, sku, description, customer, country;
    int64_t quantity = 0;
    int64_t unit_price = 0;  // fen (pence)
    int64_t at = 0;          // UTC
};

std::optional<int64_t> Integer(const std::string& s) {
    if (s.empty() || s.size() > 12) return std::nullopt;
    char* end = nullptr;
    const long long v = std::strtoll(s.c_str(), &end, 10);
    return end && *end == '\0' ? std::optional<int64_t>(v) : std::nullopt;
}

// "2.55" → 255 (prices have up to two decimals; more are rounded).
std::optional<int64_t> Money(const std::string& s) {
    if (s.empty() || s.size() > 16 || s.find_first_not_of("-0123456789.") != std::string::npos) return std::nullopt;
    char* end = nullptr;
    const double v = std::strtod(s.c_str(), &end);
    if (!end || *end != '\0' || !std::isfinite(v)) return std::nullopt;
    return static_cast<int64_t>(std::llround(v * 100));
}

// "YYYY-MM-DD HH:MM:SS" (or "HH:MM") in the store's time zone → UTC.
std::optional<int64_t> LocalTime(const std::string& s, const std::string& timezone) {
    int h = 0, m = 0, sec = 0;
    if (s.size() < 16 || std::sscanf(s.c_str() + 11, "%d:%d:%d", &h, &m, &sec) < 2) return std::nullopt;
    auto day = service::LocalDateStart(s.substr(0, 10), timezone);
    if (!day || h > 23 || m > 59 || sec > 59) return std::nullopt;
    return *day + h * 3600 + m * 60 + sec;
}

struct Importer {
    storage::Transaction& tx;
    const security::FieldVault& vault;
    ImportReport report;
    int64_t store_id = 0;
    std::unordered_map<std::string, int64_t> products;  // sku → id
    std::unordered_map<std::string, int64_t> members;   // customer → id
    // What a cancellation may take back: per member and item, the earlier sale lines, oldest first.
    struct Sold {
        int64_t sale_id, line_id, at, unit_price, remaining;
    };
    std::map<std::pair<int64_t, int64_t>, std::vector<Sold>> sold;

    void Problem(size_t row, const std::string& field, const std::string& reason) {
        report.bad_rows += 1;
        if (report.problems.size() < kMaxProblems) {
            report.problems.push_back("row " + std::to_string(row) + ": " + field + ": " + reason);
        }
    }

    Result<int64_t> Product(const Row& r) {
        if (auto it = products.find(r.sku); it != products.end()) return it->second;
        const int64_t now = NowUnix();
        const std::string name = r.description.empty() ? r.sku : r.description;
        auto row = tx.QueryOne(
            "INSERT INTO products (sku, name, name_fold, price, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
            {r.sku, name, FoldText(name), std::max<int64_t>(0, r.unit_price), now, now});
        if (!row.ok()) return row.take_error();
        report.products_created += 1;
        return products[r.sku] = (*row)->Int(0);
    }

    Result<std::optional<int64_t>> Member(const Row& r) {
        if (r.customer.empty()) return std::optional<int64_t>();
        if (auto it = members.find(r.customer); it != members.end()) return std::optional<int64_t>(it->second);
        members::MemberRepository repo(tx, vault);
        members::MemberRecord m;
        m.name = "Customer " + r.customer;
        m.home_store_id = store_id;
        m.source = "import";
        m.notes = r.country;
        security::Principal importer;
        importer.kind = security::Principal::Kind::kSystem;
        importer.name = "history import";
        STORECRM_TRY(repo.Insert(m, importer));
        STORECRM_TRY(tx.Exec("INSERT INTO import_refs (source, kind, external_id, local_id) VALUES (?, 'member', ?, ?)",
                             {kSource, r.customer, m.id}));
        report.members_created += 1;
        members[r.customer] = m.id;
        return std::optional<int64_t>(m.id);
    }

    Status Invoice(const std::vector<const Row*>& rows) {
        const Row& head = *rows.front();
        auto existing = tx.QueryOne("SELECT id FROM sales WHERE store_id = ? AND terminal = ? AND receipt_no = ?",
                                    {store_id, kTill, head.invoice});
        if (!existing.ok()) return existing.take_error();
        auto member = Member(head);
        if (!member.ok()) return member.take_error();
        int64_t total = 0;
        for (const Row* r : rows) total += r->quantity * r->unit_price;
        int64_t sale_id = 0;
        const bool fresh = !existing->has_value();
        if (fresh) {
            auto row = tx.QueryOne(
                "INSERT INTO sales (store_id, terminal, receipt_no, member_id, sold_at, subtotal, line_discount, "
                "tier_discount, coupon_discount, points_redeemed, points_value, total, points_earned, created_at) "
                "VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0, ?, 0, ?) RETURNING id",
                {store_id, kTill, head.invoice, *member, head.at, total, total, NowUnix()});
            if (!row.ok()) return row.take_error();
            sale_id = (*row)->Int(0);
            report.invoices_imported += 1;
        } else {
            sale_id = (**existing).Int(0);
        }
        int line_no = 0;
        for (const Row* r : rows) {
            auto product = Product(*r);
            if (!product.ok()) return product.take_error();
            ++line_no;
            int64_t line_id = 0;
            if (fresh) {
                auto line = tx.QueryOne(
                    "INSERT INTO sale_lines (sale_id, line_no, product_id, sku, name, quantity, unit_price, discount, "
                    "tier_discount, coupon_discount, points_used, points_value, amount, points_earned) VALUES "
                    "(?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0, ?, 0) RETURNING id",
                    {sale_id, line_no, *product, r->sku, r->description.empty() ? r->sku : r->description, r->quantity,
                     r->unit_price, r->quantity * r->unit_price});
                if (!line.ok()) return line.take_error();
                line_id = (*line)->Int(0);
            } else {
                auto line = tx.QueryOne(
                    "SELECT id, quantity - refunded_quantity FROM sale_lines WHERE sale_id = ? AND line_no = ?",
                    {sale_id, line_no});
                if (!line.ok()) return line.take_error();
                if (!line->has_value()) continue;
                line_id = (**line).Int(0);
            }
            if (*member) sold[{**member, *product}].push_back({sale_id, line_id, head.at, r->unit_price, r->quantity});
        }
        return Ok();
    }

    // A cancellation takes back, line by line, from the customer's latest earlier purchases of
    // the item; one refund per original sale.
    Status Cancellation(const std::vector<const Row*>& rows) {
        const Row& head = *rows.front();
        auto done = tx.QueryOne("SELECT 1 FROM import_refs WHERE source = ? AND kind = 'cancellation' AND external_id = ?",
                                {kSource, head.invoice});
        if (!done.ok()) return done.take_error();
        if (done->has_value()) return Ok();
        auto member = Member(head);
        if (!member.ok()) return member.take_error();
        std::map<int64_t, std::map<int64_t, std::pair<int64_t, int64_t>>> by_sale;  // sale → line → (qty, amount)
        for (const Row* r : rows) {
            int64_t wanted = -r->quantity;
            if (*member) {
                auto product = Product(*r);
                if (!product.ok()) return product.take_error();
                auto it = sold.find({**member, *product});
                if (it != sold.end()) {
                    for (auto s = it->second.rbegin(); s != it->second.rend() && wanted > 0; ++s) {
                        if (s->at > head.at || s->remaining <= 0) continue;
                        const int64_t take = std::min(wanted, s->remaining);
                        s->remaining -= take;
                        wanted -= take;
                        auto& entry = by_sale[s->sale_id][s->line_id];
                        entry.first += take;
                        entry.second += take * r->unit_price;
                    }
                }
            }
            if (wanted > 0) report.cancelled_lines_unmatched += 1;
        }
        int64_t first_refund = 0;
        for (const auto& [sale_id, lines] : by_sale) {
            int64_t amount = 0;
            for (const auto& [line_id, qa] : lines) amount += qa.second;
            auto refund = tx.QueryOne(
                "INSERT INTO refunds (sale_id, store_id, amount, points_reversed, points_restored, reason, created_at) "
                "VALUES (?, ?, ?, 0, 0, ?, ?) RETURNING id",
                {sale_id, store_id, amount, "history cancellation " + head.invoice, head.at});
            if (!refund.ok()) return refund.take_error();
            const int64_t refund_id = (*refund)->Int(0);
            if (!first_refund) first_refund = refund_id;
            for (const auto& [line_id, qa] : lines) {
                STORECRM_TRY(tx.Exec("INSERT INTO refund_lines (refund_id, sale_line_id, quantity, amount) VALUES (?, ?, ?, ?)",
                                     {refund_id, line_id, qa.first, qa.second}));
                STORECRM_TRY(tx.Exec("UPDATE sale_lines SET refunded_quantity = refunded_quantity + ? WHERE id = ?",
                                     {qa.first, line_id}));
            }
            STORECRM_TRY(tx.Exec(
                "UPDATE sales SET refunded_amount = refunded_amount + ?, status = CASE WHEN refunded_amount + ? >= total "
                "THEN 'refunded' ELSE 'partially_refunded' END WHERE id = ?",
                {amount, amount, sale_id}));
        }
        STORECRM_TRY(tx.Exec("INSERT INTO import_refs (source, kind, external_id, local_id) VALUES (?, 'cancellation', ?, ?)",
                             {kSource, head.invoice, first_refund}));
        report.cancellations_imported += 1;
        return Ok();
    }
};

}  // namespace

Result<ImportReport> ImportOnlineRetail(storage::Database& db, const security::FieldVault& vault,
                                        const std::string& csv_text, const ImportOptions& options) {
    auto parsed = ParseCsv(csv_text);
    if (!parsed || parsed->empty()) return Error::Field("file", "import.not_csv");
    const std::vector<std::string> expected = {"InvoiceNo", "StockCode", "Description", "Quantity",
                                               "InvoiceDate", "UnitPrice", "CustomerID", "Country"};
    CsvRow header = parsed->front();
    if (!header.empty() && header[0].rfind("\xEF\xBB\xBF", 0) == 0) header[0] = header[0].substr(3);
    if (header != expected) return Error::Field("file", "import.online_retail_columns");

    auto tx = db.Begin(storage::TxMode::kWrite);
    if (!tx.ok()) return tx.take_error();
    Importer in{**tx, vault, {}};
    auto store = (*tx)->QueryOne("SELECT id, timezone FROM stores WHERE code = ?", {options.store_code});
    if (!store.ok()) return store.take_error();
    std::string timezone = options.timezone;
    if (store->has_value()) {
        in.store_id = (**store).Int(0);
        timezone = (**store).Text(1);
    } else {
        const int64_t now = NowUnix();
        auto made = (*tx)->QueryOne(
            "INSERT INTO stores (code, name, type, region, timezone, opens_at, closes_at, created_at, updated_at) VALUES "
            "(?, ?, 'direct', '', ?, '00:00', '24:00', ?, ?) RETURNING id",
            {options.store_code, "历史数据 " + options.store_code, timezone, now, now});
        if (!made.ok()) return made.take_error();
        in.store_id = (*made)->Int(0);
    }
    auto refs = (*tx)->Query("SELECT external_id, local_id FROM import_refs WHERE source = ? AND kind = 'member'", {kSource});
    if (!refs.ok()) return refs.take_error();
    for (const auto& r : *refs) in.members[r.Text(0)] = r.Int(1);
    auto skus = (*tx)->Query("SELECT sku, id FROM products");
    if (!skus.ok()) return skus.take_error();
    for (const auto& r : *skus) in.products[r.Text(0)] = r.Int(1);

    // Check every row first; invoices keep the file's order, their rows together.
    std::vector<Row> rows;
    rows.reserve(parsed->size());
    std::set<std::string> products_seen, members_seen, invoices_seen, cancellations_seen;
    for (size_t i = 1; i < parsed->size(); ++i) {
        const CsvRow& f = (*parsed)[i];
        const size_t number = i + 1;
        in.report.rows += 1;
        if (f.size() != 8) {
            in.Problem(number, "row", "expected 8 columns");
            continue;
        }
        Row r{number, f[0], f[1], f[2], f[6], f[7]};
        auto quantity = Integer(f[3]);
        auto price = Money(f[5]);
        auto at = LocalTime(f[4], timezone);
        const bool cancellation = !r.invoice.empty() && (r.invoice[0] == 'C' || r.invoice[0] == 'c');
        if (r.invoice.empty()) in.Problem(number, "InvoiceNo", "empty");
        else if (r.sku.empty()) in.Problem(number, "StockCode", "empty");
        else if (!quantity || *quantity == 0) in.Problem(number, "Quantity", "not a whole number other than 0");
        else if (cancellation != (*quantity < 0)) in.Problem(number, "Quantity", cancellation ? "a cancellation takes items back (negative)" : "negative on a sale");
        else if (!price || *price < 0) in.Problem(number, "UnitPrice", "not a price of 0 or more");
        else if (!at) in.Problem(number, "InvoiceDate", "not YYYY-MM-DD HH:MM:SS");
        else {
            if (r.customer.size() > 2 && r.customer.substr(r.customer.size() - 2) == ".0") r.customer.resize(r.customer.size() - 2);
            r.quantity = *quantity;
            r.unit_price = *price;
            r.at = *at;
            products_seen.insert(r.sku);
            if (!r.customer.empty()) members_seen.insert(r.customer);
            (cancellation ? cancellations_seen : invoices_seen).insert(r.invoice);
            rows.push_back(std::move(r));
        }
    }
    in.report.invoices = static_cast<int64_t>(invoices_seen.size());
    in.report.cancellations = static_cast<int64_t>(cancellations_seen.size());
    in.report.products = static_cast<int64_t>(products_seen.size());
    in.report.members = static_cast<int64_t>(members_seen.size());
    // Sales before cancellations (a cancellation refers back), each in the file's order.
    for (int pass = 0; pass < 2; ++pass) {
        std::vector<const Row*> invoice;
        auto flush = [&]() -> Status {
            if (invoice.empty()) return Ok();
            Status s = pass == 0 ? in.Invoice(invoice) : in.Cancellation(invoice);
            invoice.clear();
            return s;
        };
        for (size_t i = 0; i < rows.size(); ++i) {
            const Row& r = rows[i];
            const bool cancellation = r.invoice[0] == 'C' || r.invoice[0] == 'c';
            if (cancellation != (pass == 1)) continue;
            if (!invoice.empty() && invoice.front()->invoice != r.invoice) STORECRM_TRY(flush());
            invoice.push_back(&r);
            if (options.progress && i % 50000 == 0) options.progress(static_cast<int64_t>(i) + pass * static_cast<int64_t>(rows.size()), 2 * static_cast<int64_t>(rows.size()));
        }
        STORECRM_TRY(flush());
    }
    // The members' purchase figures the lists and tiers read.
    STORECRM_TRY((*tx)->Exec(
        "UPDATE members SET total_spend = (SELECT COALESCE(SUM(s.total - s.refunded_amount), 0) FROM sales s WHERE "
        "s.member_id = members.id), purchase_count = (SELECT COUNT(*) FROM sales s WHERE s.member_id = members.id), "
        "last_purchase_at = (SELECT MAX(s.sold_at) FROM sales s WHERE s.member_id = members.id) WHERE id IN (SELECT "
        "local_id FROM import_refs WHERE source = ? AND kind = 'member')",
        {kSource}));
    STORECRM_TRY((*tx)->Commit());
    if (options.progress) options.progress(2 * static_cast<int64_t>(rows.size()), 2 * static_cast<int64_t>(rows.size()));
    return in.report;
}

}  // namespace storecrm::analytics
