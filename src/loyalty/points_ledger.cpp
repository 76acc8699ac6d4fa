#include "loyalty/points_ledger.hpp"

#include <algorithm>

namespace storecrm::loyalty {
namespace {

Result<int64_t> AppendLedger(storage::Transaction& tx, const PointsChange& c, int64_t delta, int64_t balance_after,
                             std::optional<int64_t> lot_id) {
    auto row = tx.QueryOne(
        "INSERT INTO points_ledger (member_id, delta, balance_after, kind, reason, source_type, source_id, lot_id, "
        "store_id, operator_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {c.member_id, delta, balance_after, c.kind, c.reason, c.source_type, c.source_id, lot_id, c.store_id,
         c.operator_id, c.now});
    if (!row.ok()) return row.take_error();
    return (*row)->Int(0);
}

// Moves the cached balance by `delta`; with `require_enough` a debit below zero fails.
Result<int64_t> MoveBalance(storage::Transaction& tx, int64_t member_id, int64_t delta, bool require_enough) {
    auto row = tx.QueryOne(
        "UPDATE members SET points_balance = points_balance + ? WHERE id = ? AND points_balance + ? >= 0 "
        "RETURNING points_balance",
        {delta, member_id, delta});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) {
        auto balance = PointsBalance(tx, member_id);
        if (!balance.ok()) return balance.take_error();
        if (!require_enough) return Error::Internal("points balance below zero");
        return Error::Field("points_redeemed", "points.insufficient", {{"balance", std::to_string(*balance)}});
    }
    return (*row)->Int(0);
}

// Draws `points` from the member's oldest live lots, recording each draw against `ledger_id`.
Status DrawFromLots(storage::Transaction& tx, int64_t member_id, int64_t points, int64_t ledger_id, int64_t now) {
    auto lots = tx.Query(
        "SELECT id, remaining FROM points_lots WHERE member_id = ? AND remaining > 0 "
        "ORDER BY CASE WHEN expires_at IS NULL THEN 1 ELSE 0 END, expires_at, id",
        {member_id});
    if (!lots.ok()) return lots.take_error();
    int64_t left = points;
    for (const auto& lot : *lots) {
        if (left == 0) break;
        const int64_t take = std::min(left, lot.Int(1));
        STORECRM_TRY(tx.Defer("UPDATE points_lots SET remaining = remaining - ? WHERE id = ?", {take, lot.Int(0)}));
        STORECRM_TRY(tx.Defer("INSERT INTO points_lot_draws (ledger_id, lot_id, points) VALUES (?, ?, ?)",
                              {ledger_id, lot.Int(0), take}));
        left -= take;
    }
    if (left != 0) return Error::Internal("points lots do not cover the balance of member " + std::to_string(member_id));
    return Ok();
}

}  // namespace

Status LockMember(storage::Transaction& tx, int64_t member_id) {
    if (tx.dialect() != storage::Dialect::kPostgres) return Ok();
    auto row = tx.QueryOne("SELECT id FROM members WHERE id = ? FOR UPDATE", {member_id});
    if (!row.ok()) return row.take_error();
    return Ok();
}

Result<int64_t> PointsBalance(storage::Transaction& tx, int64_t member_id) {
    auto row = tx.QueryOne("SELECT points_balance FROM members WHERE id = ?", {member_id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Error::NotFound();
    return (*row)->Int(0);
}

Result<int64_t> AddPoints(storage::Transaction& tx, const PointsChange& c, std::optional<int64_t> expires_at) {
    if (c.points <= 0) return Error::Internal("AddPoints needs a positive amount");
    auto balance = MoveBalance(tx, c.member_id, c.points, false);
    if (!balance.ok()) return balance.take_error();
    auto lot = tx.QueryOne(
        "INSERT INTO points_lots (member_id, points, remaining, earned_at, expires_at) VALUES (?, ?, ?, ?, ?) "
        "RETURNING id",
        {c.member_id, c.points, c.points, c.now, expires_at});
    if (!lot.ok()) return lot.take_error();
    // Nothing needs this ledger row's id, so it may travel with the next statement.
    STORECRM_TRY(tx.Defer(
        "INSERT INTO points_ledger (member_id, delta, balance_after, kind, reason, source_type, source_id, lot_id, "
        "store_id, operator_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {c.member_id, c.points, *balance, c.kind, c.reason, c.source_type, c.source_id, (*lot)->Int(0), c.store_id,
         c.operator_id, c.now}));
    return (*lot)->Int(0);
}

Result<int64_t> SpendPoints(storage::Transaction& tx, const PointsChange& c) {
    if (c.points <= 0) return Error::Internal("SpendPoints needs a positive amount");
    auto balance = MoveBalance(tx, c.member_id, -c.points, true);
    if (!balance.ok()) return balance.take_error();
    auto ledger = AppendLedger(tx, c, -c.points, *balance, std::nullopt);
    if (!ledger.ok()) return ledger;
    STORECRM_TRY(DrawFromLots(tx, c.member_id, c.points, *ledger, c.now));
    return ledger;
}

Result<int64_t> TakeBackPoints(storage::Transaction& tx, const PointsChange& c) {
    auto balance = PointsBalance(tx, c.member_id);
    if (!balance.ok()) return balance.take_error();
    const int64_t take = std::min(c.points, *balance);
    if (take <= 0) return int64_t{0};
    PointsChange part = c;
    part.points = take;
    auto ledger = SpendPoints(tx, part);
    if (!ledger.ok()) return ledger.take_error();
    return take;
}

Result<int64_t> RestoreSpentPoints(storage::Transaction& tx, const PointsChange& c, const std::string& drawn_source_type,
                                   int64_t drawn_source_id) {
    auto draws = tx.Query(
        "SELECT d.ledger_id, d.lot_id, d.points - d.restored FROM points_lot_draws d "
        "JOIN points_ledger l ON l.id = d.ledger_id "
        "WHERE l.member_id = ? AND l.source_type = ? AND l.source_id = ? AND l.kind = 'redeem' "
        "AND d.points > d.restored ORDER BY d.ledger_id DESC, d.lot_id DESC",
        {c.member_id, drawn_source_type, drawn_source_id});
    if (!draws.ok()) return draws.take_error();
    int64_t left = c.points;
    int64_t given = 0;
    for (const auto& d : *draws) {
        if (left == 0) break;
        const int64_t back = std::min(left, d.Int(2));
        STORECRM_TRY(tx.Exec("UPDATE points_lot_draws SET restored = restored + ? WHERE ledger_id = ? AND lot_id = ?",
                             {back, d.Int(0), d.Int(1)}));
        STORECRM_TRY(tx.Exec("UPDATE points_lots SET remaining = remaining + ? WHERE id = ?", {back, d.Int(1)}));
        left -= back;
        given += back;
    }
    if (given == 0) return int64_t{0};
    auto balance = MoveBalance(tx, c.member_id, given, false);
    if (!balance.ok()) return balance.take_error();
    auto ledger = AppendLedger(tx, c, given, *balance, std::nullopt);
    if (!ledger.ok()) return ledger.take_error();
    return given;
}

Result<int64_t> ExpireDueLots(storage::Transaction& tx, int64_t now) {
    auto lots = tx.Query(
        "SELECT id, member_id, remaining, expires_at FROM points_lots WHERE expires_at IS NOT NULL AND expires_at <= ? "
        "AND remaining > 0 ORDER BY member_id, id LIMIT 5000",
        {now});
    if (!lots.ok()) return lots.take_error();
    for (const auto& lot : *lots) {
        const int64_t points = lot.Int(2);
        // Conditional on the remaining points read above: a second run finds nothing to do.
        auto changed = tx.Exec("UPDATE points_lots SET remaining = 0 WHERE id = ? AND remaining = ?", {lot.Int(0), points});
        if (!changed.ok()) return changed.take_error();
        if (changed->changes != 1) continue;
        auto balance = MoveBalance(tx, lot.Int(1), -points, false);
        if (!balance.ok()) return balance.take_error();
        PointsChange c{.member_id = lot.Int(1), .points = points, .kind = "expire", .reason = "points.expired",
                       .source_type = "lot", .source_id = lot.Int(0), .now = now};
        STORECRM_TRY(AppendLedger(tx, c, -points, *balance, lot.Int(0)));
    }
    return static_cast<int64_t>(lots->size());
}

}  // namespace storecrm::loyalty
