#include "analytics/sales_columns.hpp"

#include <algorithm>

#include <spdlog/spdlog.h>

#include "common/clock.hpp"

namespace storecrm::analytics {
namespace {

// A receipt whose transaction may still be committing is read next time: PostgreSQL hands out
// ids before commit, so a smaller id can become visible after a larger one. (SQLite commits one
// writer at a time, in id order, so it needs no wait.)
constexpr int64_t kSettleSeconds = 2;
constexpr int64_t kBatch = 50000;

int16_t ClampQuantity(int64_t q) { return static_cast<int16_t>(std::clamp<int64_t>(q, -32768, 32767)); }

}  // namespace

size_t SalesColumns::Bytes() const {
    return sale_member.capacity() * 4 + sale_day.capacity() * 2 + sale_store.capacity() * 2 + sale_hour.capacity() +
           sale_refund.capacity() + sale_first_line.capacity() * 4 + line_product.capacity() * 4 +
           line_amount.capacity() * 4 + line_quantity.capacity() * 2;
}

void SalesColumns::ShrinkToFit() {
    sale_member.shrink_to_fit();
    sale_day.shrink_to_fit();
    sale_store.shrink_to_fit();
    sale_hour.shrink_to_fit();
    sale_refund.shrink_to_fit();
    sale_first_line.shrink_to_fit();
    line_product.shrink_to_fit();
    line_amount.shrink_to_fit();
    line_quantity.shrink_to_fit();
}

void SalesColumns::AppendSale(uint32_t member, int64_t at, uint16_t store, bool refund) {
    sale_member.push_back(member);
    sale_day.push_back(DayOf(at));
    sale_store.push_back(store);
    sale_hour.push_back(static_cast<uint8_t>(((at + kLocalOffset) % 86400) / 3600));
    sale_refund.push_back(refund ? 1 : 0);
    sale_first_line.push_back(static_cast<uint32_t>(line_product.size()));
}

void SalesColumns::AppendLine(uint32_t product, int32_t amount, int16_t quantity) {
    line_product.push_back(product);
    line_amount.push_back(amount);
    line_quantity.push_back(quantity);
}

bool SalesStore::loaded() const {
    std::shared_lock lock(mutex_);
    return loaded_;
}

void SalesStore::Replace(SalesColumns columns) {
    std::unique_lock lock(mutex_);
    columns_ = std::move(columns);
    loaded_ = true;
}

Status SalesStore::Rebuild(storage::Database& db) {
    {
        std::lock_guard one(catch_up_);
        std::unique_lock lock(mutex_);
        columns_ = SalesColumns{};
        last_sale_id_ = last_refund_id_ = 0;
        loaded_ = false;
    }
    return CatchUp(db);
}

Status SalesStore::CatchUp(storage::Database& db) {
    std::lock_guard one(catch_up_);
    const int64_t started = NowUnixMillis();
    // SQLite has one writer: what a reader sees is committed in id order, nothing to wait for.
    const int64_t settled = db.dialect() == storage::Dialect::kSqlite ? INT64_MAX : NowUnix() - kSettleSeconds;
    // New receipts are read into a side buffer without blocking reports, then appended.
    SalesColumns fresh;
    int64_t last_sale = last_sale_id_, last_refund = last_refund_id_;
    auto tx = db.Begin(storage::TxMode::kRead);
    if (!tx.ok()) return tx.take_error();
    // Read up to the first receipt that may still be settling, never past it.
    auto bound = [&](const char* table, int64_t after) -> Result<int64_t> {
        auto row = (*tx)->QueryOne(std::string("SELECT MIN(id) FROM ") + table + " WHERE id > ? AND created_at > ?",
                                   {after, settled});
        if (!row.ok()) return row.take_error();
        return (*row)->IsNull(0) ? INT64_MAX : (*row)->Int(0) - 1;
    };
    auto sale_bound = bound("sales", last_sale);
    if (!sale_bound.ok()) return sale_bound.take_error();
    auto refund_bound = bound("refunds", last_refund);
    if (!refund_bound.ok()) return refund_bound.take_error();
    // Receipts in batches of kBatch ids: sales as they are, refunds as receipts of negative lines.
    auto read = [&](const std::string& sql, int64_t& last, int64_t bound, bool refund) -> Status {
        for (;;) {
            auto rows = (*tx)->Query(sql, {last, bound, last, kBatch});
            if (!rows.ok()) return rows.take_error();
            if (rows->empty()) return Ok();
            int64_t current = -1;
            const int64_t sign = refund ? -1 : 1;
            for (const auto& r : *rows) {
                if (r.Int(0) != current) {
                    current = r.Int(0);
                    fresh.AppendSale(static_cast<uint32_t>(r.Int(1)), r.Int(3), static_cast<uint16_t>(r.Int(2)), refund);
                }
                fresh.AppendLine(static_cast<uint32_t>(r.Int(4)), static_cast<int32_t>(sign * r.Int(5)),
                                 ClampQuantity(sign * r.Int(6)));
            }
            last = current;
        }
    };
    STORECRM_TRY(read("SELECT s.id, COALESCE(s.member_id, 0), s.store_id, s.sold_at, l.product_id, l.amount, l.quantity "
                      "FROM sales s JOIN sale_lines l ON l.sale_id = s.id WHERE s.id > ? AND s.id <= ? AND s.id <= (SELECT "
                      "COALESCE(MAX(id), 0) FROM (SELECT id FROM sales WHERE id > ? ORDER BY id LIMIT ?) b) ORDER BY s.id, "
                      "l.line_no",
                      last_sale, *sale_bound, false));
    STORECRM_TRY(read("SELECT f.id, COALESCE(s.member_id, 0), f.store_id, f.created_at, l.product_id, rl.amount, "
                      "rl.quantity FROM refunds f JOIN sales s ON s.id = f.sale_id JOIN refund_lines rl ON rl.refund_id = "
                      "f.id JOIN sale_lines l ON l.id = rl.sale_line_id WHERE f.id > ? AND f.id <= ? AND f.id <= (SELECT "
                      "COALESCE(MAX(id), 0) FROM (SELECT id FROM refunds WHERE id > ? ORDER BY id LIMIT ?) b) ORDER BY "
                      "f.id, l.id",
                      last_refund, *refund_bound, true));
    std::unique_lock lock(mutex_);
    const uint32_t base = static_cast<uint32_t>(columns_.lines());
    auto append = [](auto& to, const auto& from) { to.insert(to.end(), from.begin(), from.end()); };
    append(columns_.sale_member, fresh.sale_member);
    append(columns_.sale_day, fresh.sale_day);
    append(columns_.sale_store, fresh.sale_store);
    append(columns_.sale_hour, fresh.sale_hour);
    append(columns_.sale_refund, fresh.sale_refund);
    for (uint32_t first : fresh.sale_first_line) columns_.sale_first_line.push_back(base + first);
    append(columns_.line_product, fresh.line_product);
    append(columns_.line_amount, fresh.line_amount);
    append(columns_.line_quantity, fresh.line_quantity);
    last_sale_id_ = last_sale;
    last_refund_id_ = last_refund;
    if (!loaded_) {
        columns_.ShrinkToFit();
        spdlog::info("analytics: loaded {} receipts, {} lines ({} MB) in {} ms", columns_.sales(), columns_.lines(),
                     columns_.Bytes() / (1 << 20), NowUnixMillis() - started);
    }
    loaded_ = true;
    return Ok();
}

}  // namespace storecrm::analytics
