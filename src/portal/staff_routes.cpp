// The staff side of the member pages: each store's and guide's join code (link, QR image, A5
// poster), the deletion-request queue, and the message log where the demo's SMS codes land.
#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/phone.hpp"
#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "http/paging.hpp"
#include "members/member_repository.hpp"
#include "members/member_service.hpp"
#include "portal/join_links.hpp"
#include "portal/member_data_copy.hpp"
#include "portal/member_session.hpp"
#include "portal/qr_images.hpp"
#include "portal/routes.hpp"

namespace storecrm::portal {
namespace {

using http::RequestContext;
using nlohmann::json;

// Links are absolute so a printed code works from any phone: the address the admin used.
std::string BaseUrl(const RequestContext& ctx) {
    std::string host(ctx.request.Header("host"));
    if (host.empty()) host = "localhost:8080";
    const std::string proto(ctx.request.Header("x-forwarded-proto"));
    return (proto == "https" ? "https://" : "http://") + host;
}

struct JoinCode {
    JoinTarget target;
    std::string title;
};

// For /stores/{id}/… the store's code; for /staff/{id}/… a guide's personal code in their store.
Result<JoinCode> ResolveJoinCode(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    const bool for_staff = ctx.request.path.rfind("/api/v1/staff/", 0) == 0;
    if (!for_staff) {
        if (!ctx.principal.CanAccessStore(*id)) return Error::NotFound();
        auto store = ctx.tx.QueryOne("SELECT name FROM stores WHERE id = ?", {*id});
        if (!store.ok()) return store.take_error();
        if (!store->has_value()) return Error::NotFound();
        return JoinCode{{*id, std::nullopt}, (*store)->Text(0)};
    }
    auto row = ctx.tx.QueryOne(
        "SELECT s.name, ss.store_id, st.name FROM staff s JOIN staff_stores ss ON ss.staff_id = s.id JOIN stores st ON "
        "st.id = ss.store_id WHERE s.id = ? AND s.status = 'active' ORDER BY ss.store_id LIMIT 1",
        {*id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value() || !ctx.principal.CanAccessStore((*row)->Int(1))) return Error::NotFound();
    return JoinCode{{(*row)->Int(1), *id}, (*row)->Text(2) + " · " + (*row)->Text(0)};
}

std::string JoinUrl(const RequestContext& ctx, const JoinTarget& target) {
    return BaseUrl(ctx) + "/m/join/" + JoinToken(*ctx.services.vault, target);
}

Result<http::Response> JoinCodeInfo(RequestContext& ctx) {
    auto code = ResolveJoinCode(ctx);
    if (!code.ok()) return code.take_error();
    return http::JsonOk({{"token", JoinToken(*ctx.services.vault, code->target)},
                         {"url", JoinUrl(ctx, code->target)},
                         {"title", code->title}});
}

Result<http::Response> JoinQrPng(RequestContext& ctx) {
    auto code = ResolveJoinCode(ctx);
    if (!code.ok()) return code.take_error();
    auto png = QrPng(JoinUrl(ctx, code->target));
    if (!png.ok()) return png.take_error();
    http::Response r;
    r.content_type = "image/png";
    r.body = std::move(*png);
    return r;
}

Result<http::Response> JoinPoster(RequestContext& ctx) {
    auto code = ResolveJoinCode(ctx);
    if (!code.ok()) return code.take_error();
    auto pdf = JoinPosterPdf(code->title, "微信扫一扫 · 加入会员 领积分", JoinUrl(ctx, code->target));
    if (!pdf.ok()) return pdf.take_error();
    http::Response r;
    r.content_type = "application/pdf";
    r.body = std::move(*pdf);
    r.headers.emplace_back("Content-Disposition", "inline; filename=\"join-poster.pdf\"");
    return r;
}

Result<http::Response> ListDeletionRequests(RequestContext& ctx) {
    auto page = http::ReadPage(ctx.request);
    if (!page.ok()) return page.take_error();
    storage::Params params;
    std::string where = " WHERE 1 = 1" + security::StoreScopeClause(ctx.principal, "d.store_id", params);
    if (auto v = ctx.request.QueryParam("status"); v && !v->empty()) {
        where += " AND d.status = ?";
        params.emplace_back(*v);
    }
    auto total = ctx.tx.QueryOne("SELECT COUNT(*) FROM deletion_requests d" + where, params);
    if (!total.ok()) return total.take_error();
    params.emplace_back(page->limit);
    params.emplace_back(page->offset);
    auto rows = ctx.tx.Query(
        "SELECT d.id, d.member_id, m.member_no, m.name, m.phone_masked, d.store_id, d.status, d.reason, d.requested_at, "
        "d.decided_by, s.name, d.decided_at, d.decision_note FROM deletion_requests d JOIN members m ON m.id = d.member_id "
        "LEFT JOIN staff s ON s.id = d.decided_by" + where + " ORDER BY d.requested_at DESC, d.id DESC LIMIT ? OFFSET ?",
        params);
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) {
        items.push_back({{"id", r.Int(0)},
                         {"member", {{"id", r.Int(1)}, {"member_no", r.Text(2)}, {"name", r.Text(3)}, {"phone", r.Text(4)}}},
                         {"store_id", r.Int(5)},
                         {"status", r.Text(6)},
                         {"reason", r.Text(7)},
                         {"requested_at", FormatIsoUtc(r.Int(8))},
                         {"decided_by", r.IsNull(9) ? json() : json({{"id", r.Int(9)}, {"name", r.Text(10)}})},
                         {"decided_at", r.IsNull(11) ? json() : json(FormatIsoUtc(r.Int(11)))},
                         {"decision_note", r.Text(12)}});
    }
    return http::PageResponse(std::move(items), page->NextCursor((*total)->Int(0)), (*total)->Int(0));
}

// POST /deletion-requests/{id}/decide {approve, note}: approving anonymises the member (the
// record stays for the aggregates, the person is gone) and ends their sessions; either way
// the member is told by SMS, to the number they had — sent at once through the file channel,
// like sign-in codes (they must not wait behind marketing).
Result<http::Response> Decide(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    storage::Params params{*id};
    auto row = ctx.tx.QueryOne("SELECT d.member_id, d.status, m.phone_enc FROM deletion_requests d JOIN members m ON "
                               "m.id = d.member_id WHERE d.id = ?" +
                                   security::StoreScopeClause(ctx.principal, "d.store_id", params),
                               params);
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Error::NotFound();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto approve = body->Bool("approve", true);
    auto note = body->Text("note", {.max_chars = 500, .multiline = true}).value_or("");
    if (approve && !*approve && note.empty()) body->AddError("note", "field.required");
    STORECRM_TRY(body->Finish());
    if ((*row)->Text(1) != "pending") return Error::Conflict("approve", "portal.deletion_decided");
    const int64_t member_id = (*row)->Int(0);
    const int64_t now = NowUnix();
    const std::string phone = ctx.services.vault->Decrypt((*row)->BlobBytes(2)).value_or("");
    const std::string text = *approve ? "【会员中心】您的注销申请已处理，个人信息已删除。感谢您的陪伴。"
                                      : "【会员中心】您的注销申请未通过：" + note;
    STORECRM_TRY(ctx.tx.Exec(
        "INSERT INTO messages (member_id, recipient, recipient_enc, channel, purpose, body, status, created_at, sent_at) "
        "VALUES (?, ?, ?, 'sms', 'deletion', ?, 'sent', ?, ?)",
        {member_id, MaskPhone(phone), storage::Blob{ctx.services.vault->Encrypt(phone)}, text, now, now}));
    if (*approve) {
        members::MemberRepository repo(ctx.tx, *ctx.services.vault);
        STORECRM_TRY(repo.Anonymize(member_id, ctx.principal));
        STORECRM_TRY(repo.WriteHistory(member_id, ctx.principal, {{"status", "active", "anonymized"}}));
        STORECRM_TRY(ctx.tx.Exec("UPDATE member_sessions SET revoked_at = ? WHERE member_id = ? AND revoked_at IS NULL",
                                 {now, member_id}));
    }
    STORECRM_TRY(ctx.tx.Exec(
        "UPDATE deletion_requests SET status = ?, decided_by = ?, decided_at = ?, decision_note = ? WHERE id = ?",
        {*approve ? "approved" : "rejected", ctx.principal.StaffId(), now, note, *id}));
    STORECRM_TRY(ctx.Audit({*approve ? "member.anonymize" : "member.deletion_rejected", "member",
                            std::to_string(member_id), json({{"deletion_request", *id}}).dump()}));
    return http::JsonOk({{"id", *id}, {"status", *approve ? "approved" : "rejected"}});
}

// GET /messages: the outbox and its log (the demo's SMS codes appear here).
Result<http::Response> ListMessages(RequestContext& ctx) {
    auto page = http::ReadPage(ctx.request, 50, 200);
    if (!page.ok()) return page.take_error();
    storage::Params params;
    std::string where = " WHERE 1 = 1";
    for (const char* column : {"purpose", "status", "channel"}) {
        if (auto v = ctx.request.QueryParam(column); v && !v->empty()) {
            where += std::string(" AND ") + column + " = ?";
            params.emplace_back(*v);
        }
    }
    auto total = ctx.tx.QueryOne("SELECT COUNT(*) FROM messages" + where, params);
    if (!total.ok()) return total.take_error();
    params.emplace_back(page->limit);
    params.emplace_back(page->offset);
    auto rows = ctx.tx.Query("SELECT id, member_id, recipient, channel, purpose, body, status, created_at, sent_at, last_error FROM "
                             "messages" + where + " ORDER BY id DESC LIMIT ? OFFSET ?",
                             params);
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) {
        items.push_back({{"id", r.Int(0)}, {"member_id", r.IsNull(1) ? json() : json(r.Int(1))}, {"recipient", r.Text(2)},
                         {"channel", r.Text(3)}, {"purpose", r.Text(4)}, {"body", r.Text(5)}, {"status", r.Text(6)},
                         {"created_at", FormatIsoUtc(r.Int(7))},
                         {"sent_at", r.IsNull(8) ? json() : json(FormatIsoUtc(r.Int(8)))},
                         {"reason", r.Text(9)}});
    }
    STORECRM_TRY(ctx.Audit({"messages.view", "messages", "", "{}"}));
    return http::PageResponse(std::move(items), page->NextCursor((*total)->Int(0)), (*total)->Int(0));
}

// GET /members/{id}/data-copy: the member's data copy for an access request made at the
// counter or by letter (the member can also download it from their own pages).
Result<http::Response> StaffDataCopy(RequestContext& ctx) {
    if (!ctx.principal.Has("members.pii")) return Error::Forbidden();
    auto member = members::LoadPathMember(ctx);
    if (!member.ok()) return member.take_error();
    auto out = MemberDataCopy(ctx, *member);
    if (!out.ok()) return out.take_error();
    STORECRM_TRY(ctx.Audit({"member.data_copy", "member", std::to_string(member->id), "{}"}));
    http::Response r = http::JsonOk(*out);
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"member-" + member->member_no + ".json\"");
    return r;
}

}  // namespace

void RegisterPortalStaffRoutes(http::Router& router) {
    using storage::TxMode;
    for (const char* owner : {"stores", "staff"}) {
        const std::string base = std::string("/api/v1/") + owner + "/{id}/";
        const std::string who = std::string(owner) == "stores" ? "a store's" : "a guide's personal";
        router.Add({.method = "GET", .pattern = base + "join-code", .permission = "stores.read", .tx = TxMode::kRead,
                    .tag = "portal", .summary = "The link of " + who + " scan-to-join code", .handler = JoinCodeInfo});
        router.Add({.method = "GET", .pattern = base + "join-qr.png", .permission = "stores.read", .tx = TxMode::kRead,
                    .tag = "portal", .summary = "QR image of " + who + " join link", .handler = JoinQrPng});
        router.Add({.method = "GET", .pattern = base + "join-poster.pdf", .permission = "stores.read",
                    .tx = TxMode::kRead, .tag = "portal", .summary = "A5 poster of " + who + " join code",
                    .handler = JoinPoster});
    }
    router.Add({.method = "GET", .pattern = "/api/v1/deletion-requests", .permission = "members.anonymize",
                .tx = TxMode::kRead, .tag = "portal", .summary = "Members' deletion requests (?status=pending)",
                .handler = ListDeletionRequests});
    router.Add({.method = "POST", .pattern = "/api/v1/deletion-requests/{id}/decide", .permission = "members.anonymize",
                .tx = TxMode::kWrite, .tag = "portal", .summary = "Approve (anonymise) or reject a deletion request",
                .handler = Decide});
    router.Add({.method = "GET", .pattern = "/api/v1/members/{id}/data-copy", .permission = "members.export",
                .tx = TxMode::kRead, .tag = "members",
                .summary = "Everything kept about a member, as JSON (an access request; needs members.pii too)",
                .handler = StaffDataCopy});
    router.Add({.method = "GET", .pattern = "/api/v1/messages", .permission = "messages.read", .tx = TxMode::kRead,
                .tag = "portal", .summary = "The message log (SMS codes of the demo's file channel)",
                .handler = ListMessages});
}

}  // namespace storecrm::portal
