#pragma once
// The analytics engine's memory: every sale (and refund) and sale line as compact columns,
// about 14 bytes per line plus 10 per receipt, so 10 million lines fit in ~200 MB and a
// report is a scan over arrays instead of a query. Loaded once, then kept current by
// appending what the database got since (Append* / CatchUp) — reports never see the past.
//
// Days are counted in China Standard Time (UTC+8) from 2000-01-01: the chain's stores keep
// one business calendar for reports.

#include <cstdint>
#include <shared_mutex>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "storage/database.hpp"

namespace storecrm::analytics {

inline constexpr int64_t kDayZero = 946656000;  // 2000-01-01T00:00:00+08:00 in UTC seconds
inline constexpr int64_t kLocalOffset = 8 * 3600;

inline uint16_t DayOf(int64_t unix_seconds) { return static_cast<uint16_t>((unix_seconds - kDayZero) / 86400); }
inline int64_t DayStart(uint16_t day) { return kDayZero + static_cast<int64_t>(day) * 86400; }

// The days and stores a report covers.
struct Period {
    uint16_t from_day = 0;  // inclusive
    uint16_t to_day = 0;    // inclusive
    std::vector<uint16_t> stores;  // empty: all
};

struct SalesColumns {
    // One entry per receipt; a refund is a receipt of its own with negative lines.
    std::vector<uint32_t> sale_member;  // 0: not a member
    std::vector<uint16_t> sale_day;
    std::vector<uint16_t> sale_store;
    std::vector<uint8_t> sale_hour;     // local hour, 0–23
    std::vector<uint8_t> sale_refund;   // 1 for a refund
    std::vector<uint32_t> sale_first_line;  // its lines are [first, next sale's first)
    // One entry per line.
    std::vector<uint32_t> line_product;
    std::vector<int32_t> line_amount;  // fen after every discount; negative for refunds
    std::vector<int16_t> line_quantity;

    size_t sales() const { return sale_member.size(); }
    size_t lines() const { return line_product.size(); }
    uint32_t LineEnd(size_t sale) const {
        return sale + 1 < sales() ? sale_first_line[sale + 1] : static_cast<uint32_t>(lines());
    }
    size_t Bytes() const;  // memory held, spare capacity included
    void ShrinkToFit();    // gives the growth slack back after a bulk load

    // Appends one receipt; its lines follow with AppendLine.
    void AppendSale(uint32_t member, int64_t at, uint16_t store, bool refund);
    void AppendLine(uint32_t product, int32_t amount, int16_t quantity);
};

// The engine: the columns, the watermarks of what was loaded, and a lock (reports share it;
// catching up takes it alone, briefly).
class SalesStore {
public:
    // Loads (first call) or appends what is new: sales and refunds committed since.
    Status CatchUp(storage::Database& db);
    bool loaded() const;

    // Runs `read` on the columns under the shared lock.
    template <typename F>
    auto Read(F&& read) const {
        std::shared_lock lock(mutex_);
        return read(columns_);
    }

    // Forgets everything and loads again from the database (after a restore or a bulk change
    // the catch-up cannot see, such as an edited sale).
    Status Rebuild(storage::Database& db);

    // For tests and benches: columns built elsewhere.
    void Replace(SalesColumns columns);

private:
    mutable std::shared_mutex mutex_;
    std::mutex catch_up_;  // one catch-up at a time
    SalesColumns columns_;
    int64_t last_sale_id_ = 0;
    int64_t last_refund_id_ = 0;
    bool loaded_ = false;
};

}  // namespace storecrm::analytics
