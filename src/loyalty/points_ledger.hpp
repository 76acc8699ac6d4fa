#pragma once
// The points ledger: every change of a member's points is one append-only ledger row with its
// reason, source document and operator; earned points sit in lots that expire, spending draws
// on the oldest lots first, and members.points_balance is a cache equal to the ledger sum and
// to the lots' remaining points. Every function works inside the caller's transaction.

#include <cstdint>
#include <optional>
#include <string>

#include "common/error.hpp"
#include "storage/database.hpp"

namespace storecrm::loyalty {

struct PointsChange {
    int64_t member_id = 0;
    int64_t points = 0;  // always positive; the function decides the sign
    std::string kind;    // earn | redeem | refund | expire | adjust | behaviour | referral
    std::string reason;
    std::string source_type;  // "sale", "refund", "staff", "referral", ...
    std::optional<int64_t> source_id;
    std::optional<int64_t> store_id;
    std::optional<int64_t> operator_id;
    int64_t now = 0;
};

// Locks the member's row for the rest of the transaction (PostgreSQL; SQLite writers are
// serial anyway), so concurrent checkouts of one member queue instead of deadlocking.
Status LockMember(storage::Transaction& tx, int64_t member_id);

// Adds a lot of `points` (expiring at `expires_at`, if any) and its ledger row; returns the lot id.
Result<int64_t> AddPoints(storage::Transaction& tx, const PointsChange& change, std::optional<int64_t> expires_at);

// Takes `points` from the oldest lots; points.insufficient when the balance is lower.
// Returns the ledger id; the draws are recorded so a refund can give them back.
Result<int64_t> SpendPoints(storage::Transaction& tx, const PointsChange& change);

// Takes up to `points` (never below zero); returns how many were taken.
Result<int64_t> TakeBackPoints(storage::Transaction& tx, const PointsChange& change);

// Gives back up to `points` of what the redemption ledger rows of (source_type, source_id)
// drew, to the lots they came from, newest draw first. Returns how many were given back.
Result<int64_t> RestoreSpentPoints(storage::Transaction& tx, const PointsChange& change,
                                   const std::string& drawn_source_type, int64_t drawn_source_id);

// Posts one expiry row per lot that is past its end and still holds points. Running it twice
// changes nothing the second time. Returns the number of lots expired.
Result<int64_t> ExpireDueLots(storage::Transaction& tx, int64_t now);

// Current balance (the cached column).
Result<int64_t> PointsBalance(storage::Transaction& tx, int64_t member_id);

}  // namespace storecrm::loyalty
