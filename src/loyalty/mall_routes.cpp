// The points mall 积分商城: gifts and partner vouchers 异业合作券 with stock, redeemed at the
// counter for points or points + cash; goods redemptions can be cancelled (points and stock
// come back), a handed-out voucher code cannot. Also the daily check-in 签到.
#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "loyalty/behaviour.hpp"
#include "loyalty/points_ledger.hpp"
#include "loyalty/routes.hpp"
#include "members/member_service.hpp"

namespace storecrm::loyalty {
namespace {

using http::RequestContext;
using nlohmann::json;

constexpr const char* kGiftColumns =
    "g.id, g.name, g.kind, g.partner, g.description, g.points, g.cash, g.stock, g.per_member_limit, g.status, g.version, "
    "(SELECT COUNT(*) FROM gift_voucher_codes v WHERE v.gift_id = g.id AND v.redemption_id IS NULL)";

json GiftJson(const storage::Row& r) {
    const bool voucher = r.Text(2) == "voucher";
    return {{"id", r.Int(0)},          {"name", r.Text(1)},    {"kind", r.Text(2)},
            {"partner", r.Text(3)},    {"description", r.Text(4)}, {"points", r.Int(5)},
            {"cash", r.Int(6)},        {"stock", voucher ? r.Int(11) : r.Int(7)},
            {"per_member_limit", r.Int(8)}, {"status", r.Text(9)}, {"version", r.Int(10)}};
}

Result<std::optional<json>> LoadGift(storage::Transaction& tx, int64_t id) {
    auto row = tx.QueryOne(std::string("SELECT ") + kGiftColumns + " FROM gifts g WHERE g.id = ?", {id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return std::optional<json>();
    return std::optional<json>(GiftJson(**row));
}

Result<http::Response> ListGifts(RequestContext& ctx) {
    std::string where = " WHERE 1 = 1";
    storage::Params params;
    if (auto status = ctx.request.QueryParam("status"); status && !status->empty()) {
        where += " AND g.status = ?";
        params.emplace_back(*status);
    }
    auto rows = ctx.tx.Query(std::string("SELECT ") + kGiftColumns + " FROM gifts g" + where + " ORDER BY g.points, g.id",
                             params);
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) items.push_back(GiftJson(r));
    return http::JsonOk({{"items", items}});
}

Status ReadGift(http::BodyReader& body, bool creating, json& g) {
    if (auto v = body.Text("name", {.required = creating, .max_chars = 64, .min_chars = 1})) g["name"] = *v;
    if (auto v = body.Choice("kind", {"goods", "voucher"}, creating)) g["kind"] = *v;
    if (auto v = body.Text("partner", {.max_chars = 64})) g["partner"] = *v;
    if (auto v = body.Text("description", {.max_chars = 500, .multiline = true})) g["description"] = *v;
    if (auto v = body.Int("points", creating, 1, 100000000)) g["points"] = *v;
    if (auto v = body.Int("cash", false, 0, 100000000)) g["cash"] = *v;
    if (auto v = body.Int("stock", false, 0, 10000000)) g["stock"] = *v;
    if (auto v = body.Int("per_member_limit", false, 0, 1000)) g["per_member_limit"] = *v;
    if (auto v = body.Choice("status", {"active", "inactive"})) g["status"] = *v;
    if (!creating) body.Accept("version");
    return body.Finish();
}

Result<http::Response> CreateGift(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    json g = {{"partner", ""}, {"description", ""}, {"cash", 0}, {"stock", 0}, {"per_member_limit", 0}, {"status", "active"}};
    STORECRM_TRY(ReadGift(*body, true, g));
    const int64_t now = NowUnix();
    auto row = ctx.tx.QueryOne(
        "INSERT INTO gifts (name, kind, partner, description, points, cash, stock, per_member_limit, status, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {g["name"].get<std::string>(), g["kind"].get<std::string>(), g["partner"].get<std::string>(),
         g["description"].get<std::string>(), g["points"].get<int64_t>(), g["cash"].get<int64_t>(),
         g["stock"].get<int64_t>(), g["per_member_limit"].get<int64_t>(), g["status"].get<std::string>(), now, now});
    if (!row.ok()) return row.take_error();
    STORECRM_TRY(ctx.Audit({"gift.create", "gift", std::to_string((*row)->Int(0)), g.dump()}));
    auto saved = LoadGift(ctx.tx, (*row)->Int(0));
    if (!saved.ok()) return saved.take_error();
    return http::JsonOk(**saved, 201);
}

Result<http::Response> UpdateGift(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto current = LoadGift(ctx.tx, *id);
    if (!current.ok()) return current.take_error();
    if (!current->has_value()) return Error::NotFound();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto version = body->Int("version", true, 1);
    json g = **current;
    STORECRM_TRY(ReadGift(*body, false, g));
    STORECRM_TRY(http::CheckVersion(*version, **current));
    STORECRM_TRY(ctx.tx.Exec(
        "UPDATE gifts SET name = ?, kind = ?, partner = ?, description = ?, points = ?, cash = ?, stock = ?, "
        "per_member_limit = ?, status = ?, version = version + 1, updated_at = ? WHERE id = ?",
        {g["name"].get<std::string>(), g["kind"].get<std::string>(), g["partner"].get<std::string>(),
         g["description"].get<std::string>(), g["points"].get<int64_t>(), g["cash"].get<int64_t>(),
         g["stock"].get<int64_t>(), g["per_member_limit"].get<int64_t>(), g["status"].get<std::string>(), NowUnix(),
         *id}));
    STORECRM_TRY(ctx.Audit({"gift.update", "gift", std::to_string(*id), g.dump()}));
    auto saved = LoadGift(ctx.tx, *id);
    if (!saved.ok()) return saved.take_error();
    return http::JsonOk(**saved);
}

// POST /gifts/{id}/voucher-codes {codes: [...]}: a partner's codes, each handed out once.
Result<http::Response> AddVoucherCodes(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto gift = LoadGift(ctx.tx, *id);
    if (!gift.ok()) return gift.take_error();
    if (!gift->has_value()) return Error::NotFound();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto codes = body->TextList("codes", true, 10000, 64);
    if ((**gift)["kind"] != "voucher") body->AddError("codes", "gift.not_voucher");
    STORECRM_TRY(body->Finish());
    int64_t added = 0;
    for (const auto& code : *codes) {
        auto r = ctx.tx.Exec("INSERT INTO gift_voucher_codes (gift_id, code) VALUES (?, ?) ON CONFLICT DO NOTHING", {*id, code});
        if (!r.ok()) return r.take_error();
        added += r->changes;
    }
    STORECRM_TRY(ctx.Audit({"gift.voucher_codes", "gift", std::to_string(*id), json({{"added", added}}).dump()}));
    auto saved = LoadGift(ctx.tx, *id);
    if (!saved.ok()) return saved.take_error();
    return http::JsonOk({{"added", added}, {"gift", **saved}}, 201);
}

json RedemptionJson(const storage::Row& r) {
    return {{"id", r.Int(0)},          {"gift_id", r.Int(1)},   {"gift_name", r.Text(2)}, {"member_id", r.Int(3)},
            {"store_id", r.Int(4)},    {"quantity", r.Int(5)},  {"points", r.Int(6)},     {"cash", r.Int(7)},
            {"cash_method", r.Text(8)}, {"status", r.Text(9)},  {"created_at", FormatIsoUtc(r.Int(10))},
            {"voucher_codes", json::array()}};
}

constexpr const char* kRedemptionSelect =
    "SELECT r.id, r.gift_id, g.name, r.member_id, r.store_id, r.quantity, r.points, r.cash, r.cash_method, r.status, "
    "r.created_at FROM gift_redemptions r JOIN gifts g ON g.id = r.gift_id";

Result<json> LoadRedemption(storage::Transaction& tx, int64_t id) {
    auto row = tx.QueryOne(std::string(kRedemptionSelect) + " WHERE r.id = ?", {id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Error::NotFound();
    json out = RedemptionJson(**row);
    auto codes = tx.Query("SELECT code FROM gift_voucher_codes WHERE redemption_id = ? ORDER BY id", {id});
    if (!codes.ok()) return codes.take_error();
    for (const auto& c : *codes) out["voucher_codes"].push_back(c.Text(0));
    return out;
}

// POST /members/{id}/redemptions {gift_id, quantity, store_id, cash_method}
Result<http::Response> Redeem(RequestContext& ctx) {
    auto member = members::LoadPathMember(ctx, true);
    if (!member.ok()) return member.take_error();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto gift_id = body->Int("gift_id", true, 1);
    auto quantity = body->Int("quantity", false, 1, 100).value_or(1);
    auto store_id = body->Int("store_id", false, 1);
    auto cash_method = body->Choice("cash_method", {"cash", "bank_card", "wechat_pay", "alipay", "other"});
    STORECRM_TRY(body->Finish());
    const int64_t store = store_id.value_or(member->home_store_id);
    if (!ctx.principal.CanAccessStore(store)) return Error::Field("store_id", "field.store_out_of_scope");
    auto gift = LoadGift(ctx.tx, *gift_id);
    if (!gift.ok()) return gift.take_error();
    if (!gift->has_value() || (**gift)["status"] != "active") return Error::Field("gift_id", "field.not_found");
    const json& g = **gift;
    const int64_t points = g["points"].get<int64_t>() * quantity;
    const int64_t cash = g["cash"].get<int64_t>() * quantity;
    if (cash > 0 && !cash_method) return Error::Field("cash_method", "field.required");
    if (g["stock"].get<int64_t>() < quantity) {
        return Error::Field("quantity", "gift.out_of_stock", {{"stock", std::to_string(g["stock"].get<int64_t>())}});
    }
    const int64_t member_id = member->id;
    STORECRM_TRY(LockMember(ctx.tx, member_id));
    if (g["per_member_limit"].get<int64_t>() > 0) {
        auto had = ctx.tx.QueryOne(
            "SELECT COALESCE(SUM(quantity), 0) FROM gift_redemptions WHERE gift_id = ? AND member_id = ? AND status = 'redeemed'",
            {*gift_id, member_id});
        if (!had.ok()) return had.take_error();
        if ((*had)->Int(0) + quantity > g["per_member_limit"].get<int64_t>()) {
            return Error::Field("quantity", "coupon.limit_reached", {{"max", std::to_string(g["per_member_limit"].get<int64_t>())}});
        }
    }
    const int64_t now = NowUnix();
    auto row = ctx.tx.QueryOne(
        "INSERT INTO gift_redemptions (gift_id, member_id, store_id, quantity, points, cash, cash_method, operator_id, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {*gift_id, member_id, store, quantity, points, cash, cash_method.value_or(""), ctx.principal.StaffId(), now});
    if (!row.ok()) return row.take_error();
    const int64_t redemption = (*row)->Int(0);
    if (g["kind"] == "voucher") {
        auto codes = ctx.tx.Query(
            "SELECT id FROM gift_voucher_codes WHERE gift_id = ? AND redemption_id IS NULL ORDER BY id LIMIT ?",
            {*gift_id, quantity});
        if (!codes.ok()) return codes.take_error();
        for (const auto& c : *codes) {
            auto taken = ctx.tx.Exec("UPDATE gift_voucher_codes SET redemption_id = ? WHERE id = ? AND redemption_id IS NULL",
                                     {redemption, c.Int(0)});
            if (!taken.ok()) return taken.take_error();
            if (taken->changes != 1) return Error::Busy("voucher code taken concurrently");
        }
        if (static_cast<int64_t>(codes->size()) < quantity) return Error::Field("quantity", "gift.out_of_stock", {{"stock", "0"}});
    } else {
        auto taken = ctx.tx.Exec("UPDATE gifts SET stock = stock - ? WHERE id = ? AND stock >= ?", {quantity, *gift_id, quantity});
        if (!taken.ok()) return taken.take_error();
        if (taken->changes != 1) return Error::Field("quantity", "gift.out_of_stock", {{"stock", "0"}});
    }
    auto spent = SpendPoints(ctx.tx, {.member_id = member_id, .points = points, .kind = "redeem", .reason = "mall.redeem",
                                      .source_type = "redemption", .source_id = redemption, .store_id = store,
                                      .operator_id = ctx.principal.StaffId(), .now = now});
    if (!spent.ok()) {
        Error e = spent.take_error();
        for (auto& f : e.fields) f.field = "gift_id";
        return e;
    }
    STORECRM_TRY(ctx.Audit({"gift.redeem", "member", std::to_string(member_id),
                            json({{"gift_id", *gift_id}, {"quantity", quantity}, {"points", points}}).dump()}));
    auto out = LoadRedemption(ctx.tx, redemption);
    if (!out.ok()) return out.take_error();
    auto balance = PointsBalance(ctx.tx, member_id);
    if (!balance.ok()) return balance.take_error();
    (*out)["points_balance"] = *balance;
    return http::JsonOk(*out, 201);
}

Result<http::Response> MemberRedemptions(RequestContext& ctx) {
    auto member = members::LoadPathMember(ctx);
    if (!member.ok()) return member.take_error();
    auto rows = ctx.tx.Query(std::string(kRedemptionSelect) + " WHERE r.member_id = ? ORDER BY r.id DESC LIMIT 200",
                             {member->id});
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) {
        auto full = LoadRedemption(ctx.tx, r.Int(0));
        if (!full.ok()) return full.take_error();
        items.push_back(*full);
    }
    return http::JsonOk({{"items", items}});
}

// POST /redemptions/{id}/cancel: goods back on the shelf, points back to their lots.
Result<http::Response> CancelRedemption(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto r = LoadRedemption(ctx.tx, *id);
    if (!r.ok()) return r.take_error();
    if (!ctx.principal.CanAccessStore((*r)["store_id"].get<int64_t>())) return Error::NotFound();
    if ((*r)["status"] != "redeemed") return Error::Conflict("status", "gift.already_cancelled");
    if (!(*r)["voucher_codes"].empty()) return Error::Field("status", "gift.voucher_not_cancellable");
    const int64_t member_id = (*r)["member_id"].get<int64_t>();
    STORECRM_TRY(LockMember(ctx.tx, member_id));
    auto changed = ctx.tx.Exec(
        "UPDATE gift_redemptions SET status = 'cancelled', cancelled_at = ? WHERE id = ? AND status = 'redeemed'",
        {NowUnix(), *id});
    if (!changed.ok()) return changed.take_error();
    if (changed->changes != 1) return Error::Conflict("status", "gift.already_cancelled");
    STORECRM_TRY(ctx.tx.Exec("UPDATE gifts SET stock = stock + ? WHERE id = ?",
                             {(*r)["quantity"].get<int64_t>(), (*r)["gift_id"].get<int64_t>()}));
    auto back = RestoreSpentPoints(ctx.tx,
                                   {.member_id = member_id, .points = (*r)["points"].get<int64_t>(), .kind = "refund",
                                    .reason = "mall.cancel", .source_type = "redemption", .source_id = *id,
                                    .store_id = (*r)["store_id"].get<int64_t>(), .operator_id = ctx.principal.StaffId(),
                                    .now = NowUnix()},
                                   "redemption", *id);
    if (!back.ok()) return back.take_error();
    STORECRM_TRY(ctx.Audit({"gift.cancel", "member", std::to_string(member_id), json({{"redemption_id", *id}}).dump()}));
    auto out = LoadRedemption(ctx.tx, *id);
    if (!out.ok()) return out.take_error();
    return http::JsonOk(*out);
}

// POST /members/{id}/checkins: the daily check-in 签到, once per day in the member's store.
Result<http::Response> PostCheckIn(RequestContext& ctx) {
    auto member = members::LoadPathMember(ctx, true);
    if (!member.ok()) return member.take_error();
    auto points = CheckIn(ctx.tx, member->id, ctx.principal.StaffId(), NowUnix());
    if (!points.ok()) return points.take_error();
    if (!points->has_value()) return Error::Conflict("member_id", "points.checked_in_today");
    auto balance = PointsBalance(ctx.tx, member->id);
    if (!balance.ok()) return balance.take_error();
    return http::JsonOk({{"member_id", member->id}, {"points", **points}, {"balance", *balance}}, 201);
}

}  // namespace

void RegisterMallRoutes(http::Router& router) {
    using storage::TxMode;
    router.Add({.method = "GET", .pattern = "/api/v1/gifts", .permission = "members.read", .tx = TxMode::kRead,
                .tag = "loyalty", .summary = "The points mall: gifts and partner vouchers (?status=)", .handler = ListGifts});
    router.Add({.method = "POST", .pattern = "/api/v1/gifts", .permission = "loyalty.manage", .tx = TxMode::kWrite,
                .tag = "loyalty", .summary = "Add a gift or partner voucher", .handler = CreateGift});
    router.Add({.method = "PUT", .pattern = "/api/v1/gifts/{id}", .permission = "loyalty.manage", .tx = TxMode::kWrite,
                .tag = "loyalty", .summary = "Update a gift (send version)", .handler = UpdateGift});
    router.Add({.method = "POST", .pattern = "/api/v1/gifts/{id}/voucher-codes", .permission = "loyalty.manage",
                .tx = TxMode::kWrite, .tag = "loyalty", .summary = "Load a partner's voucher codes",
                .handler = AddVoucherCodes});
    router.Add({.method = "POST", .pattern = "/api/v1/members/{id}/redemptions", .permission = "points.redeem",
                .tx = TxMode::kWrite, .tag = "loyalty", .summary = "Redeem a gift for points (or points + cash)",
                .handler = Redeem, .idempotency = http::Idempotency::kOptional});
    router.Add({.method = "GET", .pattern = "/api/v1/members/{id}/redemptions", .permission = "members.read",
                .tx = TxMode::kRead, .tag = "loyalty", .summary = "A member's gift redemptions",
                .handler = MemberRedemptions});
    router.Add({.method = "POST", .pattern = "/api/v1/redemptions/{id}/cancel", .permission = "points.redeem",
                .tx = TxMode::kWrite, .tag = "loyalty", .summary = "Cancel a goods redemption: stock and points back",
                .handler = CancelRedemption});
    router.Add({.method = "POST", .pattern = "/api/v1/members/{id}/checkins", .permission = "members.update",
                .tx = TxMode::kWrite, .tag = "loyalty", .summary = "Daily check-in 签到 (once per day)",
                .handler = PostCheckIn});
}

}  // namespace storecrm::loyalty
