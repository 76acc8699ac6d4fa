#pragma once
// The audience index: every member's segmentable attributes in memory (columns by member id,
// compressed bitmaps for tags and consent), so a segment over a million members is counted in
// milliseconds. Loaded on first use, then kept current by reloading just the members whose
// rows, history, sales, consents, coupons, tiers, points, values or campaign receipts changed
// since (found by id watermarks); a bulk change bumps an epoch and every instance reloads.
// Spend, purchases and categories bought in a window are read from the analytics columns.

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <vector>

#include "common/error.hpp"
#include "marketing/segment_rules.hpp"
#include "storage/database.hpp"

namespace storecrm::analytics {
class SalesStore;
}

namespace storecrm::marketing {

// A set of member ids (a Roaring bitmap underneath).
class MemberSet {
public:
    MemberSet();
    ~MemberSet();
    MemberSet(MemberSet&&) noexcept;
    MemberSet& operator=(MemberSet&&) noexcept;

    uint64_t size() const;
    bool Contains(uint32_t member_id) const;
    // Ascending ids from the `offset`-th on, at most `limit`.
    std::vector<uint32_t> Ids(uint64_t offset = 0, uint64_t limit = UINT64_MAX) const;
    // Ids strictly greater than `after`, ascending, at most `limit` (keyset paging).
    std::vector<uint32_t> IdsAfter(uint32_t after, uint64_t limit) const;

    struct Impl;
    Impl& impl() { return *impl_; }
    const Impl& impl() const { return *impl_; }

private:
    std::unique_ptr<Impl> impl_;
};

struct AudienceScope {
    std::optional<std::vector<int64_t>> stores;  // home stores the caller may see; nullopt: all
    int64_t now = 0;
};

class AudienceIndex {
public:
    AudienceIndex();
    ~AudienceIndex();

    // Loads (first call, a moved epoch, or every 15 minutes) or follows what changed since.
    Status CatchUp(storage::Database& db);
    // Forgets everything; the next CatchUp loads in full.
    void Invalidate();

    // Active members matching `rules` within the scope. `sales` (may be null) answers the
    // windowed fields; without it they match nobody.
    Result<MemberSet> Evaluate(const RuleGroup& rules, const AudienceScope& scope,
                               analytics::SalesStore* sales) const;

    size_t members() const;  // ids loaded (the highest member id)

    struct Data;

private:
    Status Load(storage::Database& db);
    Status Follow(storage::Database& db);

    mutable std::shared_mutex mutex_;
    std::mutex catch_up_;
    std::unique_ptr<Data> data_;
};

}  // namespace storecrm::marketing
