// Stores (门店): code, name, direct/franchise, region, address, time zone, status.
#include <filesystem>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "http/paging.hpp"
#include "stores/routes.hpp"

namespace storecrm::stores {
namespace {

using http::RequestContext;
using nlohmann::json;

constexpr const char* kColumns =
    "id, code, name, type, region, address, timezone, status, version, created_at, opens_at, closes_at";

json StoreJson(const storage::Row& r) {
    return {{"id", r.Int(0)},       {"code", r.Text(1)},     {"name", r.Text(2)},    {"type", r.Text(3)},
            {"region", r.Text(4)},  {"address", r.Text(5)},  {"timezone", r.Text(6)}, {"status", r.Text(7)},
            {"version", r.Int(8)},  {"created_at", FormatIsoUtc(r.Int(9))}, {"opens_at", r.Text(10)},
            {"closes_at", r.Text(11)}};
}

bool IsTimeZone(const std::string& name) {
    if (name.empty() || name.size() > 64 || name.find("..") != std::string::npos || name.front() == '/') return false;
    for (char c : name) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '/' && c != '_' && c != '-' && c != '+') return false;
    }
    return std::filesystem::is_regular_file("/usr/share/zoneinfo/" + name);
}

bool IsCode(const std::string& code) {
    for (char c : code) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') return false;
    }
    return !code.empty();
}

Result<json> LoadStore(RequestContext& ctx, int64_t id) {
    storage::Params params{id};
    std::string sql = std::string("SELECT ") + kColumns + " FROM stores WHERE id = ?" +
                      security::StoreScopeClause(ctx.principal, "id", params);
    auto row = ctx.tx.QueryOne(sql, params);
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Error::NotFound();
    return StoreJson(**row);
}

Result<http::Response> ListStores(RequestContext& ctx) {
    auto page = http::ReadPage(ctx.request, 50, 500);
    if (!page.ok()) return page.take_error();
    storage::Params params;
    std::string where = " WHERE 1 = 1" + security::StoreScopeClause(ctx.principal, "id", params);
    if (auto q = ctx.request.QueryParam("q"); q && !q->empty()) {
        where += " AND (LOWER(code) LIKE LOWER(?) OR LOWER(name) LIKE LOWER(?) OR LOWER(region) LIKE LOWER(?))";
        const std::string like = "%" + *q + "%";
        params.insert(params.end(), {like, like, like});
    }
    if (auto status = ctx.request.QueryParam("status"); status && !status->empty()) {
        where += " AND status = ?";
        params.emplace_back(*status);
    }
    if (auto region = ctx.request.QueryParam("region"); region && !region->empty()) {
        where += " AND region = ?";
        params.emplace_back(*region);
    }
    auto total = ctx.tx.QueryOne("SELECT COUNT(*) FROM stores" + where, params);
    if (!total.ok()) return total.take_error();
    params.emplace_back(page->limit);
    params.emplace_back(page->offset);
    auto rows = ctx.tx.Query(std::string("SELECT ") + kColumns + " FROM stores" + where + " ORDER BY code LIMIT ? OFFSET ?",
                             params);
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) items.push_back(StoreJson(r));
    return http::PageResponse(std::move(items), page->NextCursor((*total)->Int(0)), (*total)->Int(0));
}

Result<http::Response> GetStore(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto store = LoadStore(ctx, *id);
    if (!store.ok()) return store.take_error();
    return http::JsonOk(*store);
}

// Reads the fields of a store; `creating` makes code, name and type required.
Status ReadStoreFields(http::BodyReader& body, bool creating, json& out) {
    auto code = body.Text("code", {.required = creating, .max_chars = 32});
    if (code && !IsCode(*code)) body.AddError("code", "field.invalid_code");
    auto name = body.Text("name", {.required = creating, .max_chars = 64});
    auto type = body.Choice("type", {"direct", "franchise"}, creating);
    auto region = body.Text("region", {.max_chars = 64});
    auto address = body.Text("address", {.max_chars = 200});
    auto timezone = body.Text("timezone", {.max_chars = 64});
    if (timezone && !IsTimeZone(*timezone)) body.AddError("timezone", "field.invalid_timezone");
    auto status = body.Choice("status", {"active", "closed"});
    // Business hours 营业时间 (local "HH:MM"): complaint SLA clocks run only while open.
    std::optional<int> opens, closes;
    for (auto [field, minute] : {std::pair{"opens_at", &opens}, std::pair{"closes_at", &closes}}) {
        if (auto v = body.Text(field, {.max_chars = 5})) {
            *minute = ParseClock(*v);
            if (!*minute) body.AddError(field, "field.invalid_time_of_day");
        }
    }
    if (opens && closes && *closes <= *opens) body.AddError("closes_at", "store.closes_before_opening");
    if (!creating) body.Accept("version");
    STORECRM_TRY(body.Finish());
    if (opens) out["opens_at"] = FormatClock(*opens);
    if (closes) out["closes_at"] = FormatClock(*closes);
    if (code) out["code"] = *code;
    if (name) out["name"] = *name;
    if (type) out["type"] = *type;
    if (region) out["region"] = *region;
    if (address) out["address"] = *address;
    if (timezone) out["timezone"] = *timezone;
    if (status) out["status"] = *status;
    return Ok();
}

Result<http::Response> CreateStore(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    json fields;
    STORECRM_TRY(ReadStoreFields(*body, true, fields));
    auto taken = ctx.tx.QueryOne("SELECT 1 FROM stores WHERE code = ?", {fields["code"].get<std::string>()});
    if (!taken.ok()) return taken.take_error();
    if (taken->has_value()) return Error::Conflict("code", "field.code_taken");
    const int64_t now = NowUnix();
    auto row = ctx.tx.QueryOne(
        "INSERT INTO stores (code, name, type, region, address, timezone, status, opens_at, closes_at, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {fields["code"].get<std::string>(), fields["name"].get<std::string>(), fields["type"].get<std::string>(),
         fields.value("region", ""), fields.value("address", ""), fields.value("timezone", "Asia/Shanghai"),
         fields.value("status", "active"), fields.value("opens_at", "09:00"), fields.value("closes_at", "22:00"), now,
         now});
    if (!row.ok()) return row.take_error();
    const int64_t id = (*row)->Int(0);
    STORECRM_TRY(ctx.Audit({"store.create", "store", std::to_string(id), fields.dump()}));
    ctx.principal.all_stores = true;  // the creator may read what they just created
    auto store = LoadStore(ctx, id);
    if (!store.ok()) return store.take_error();
    return http::JsonOk(*store, 201);
}

Result<http::Response> UpdateStore(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto current = LoadStore(ctx, *id);
    if (!current.ok()) return current.take_error();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto version = body->Int("version", true, 1);
    json fields;
    STORECRM_TRY(ReadStoreFields(*body, false, fields));
    STORECRM_TRY(http::CheckVersion(*version, *current));
    if (fields.contains("code") && fields["code"] != (*current)["code"]) {
        auto taken = ctx.tx.QueryOne("SELECT 1 FROM stores WHERE code = ? AND id <> ?", {fields["code"].get<std::string>(), *id});
        if (!taken.ok()) return taken.take_error();
        if (taken->has_value()) return Error::Conflict("code", "field.code_taken");
    }
    json merged = *current;
    for (auto& [k, v] : fields.items()) merged[k] = v;
    if (ParseClock(merged["closes_at"].get<std::string>()) <= ParseClock(merged["opens_at"].get<std::string>())) {
        return Error::Field("closes_at", "store.closes_before_opening");
    }
    STORECRM_TRY(ctx.tx.Exec(
        "UPDATE stores SET code = ?, name = ?, type = ?, region = ?, address = ?, timezone = ?, status = ?, "
        "opens_at = ?, closes_at = ?, version = version + 1, updated_at = ? WHERE id = ?",
        {merged["code"].get<std::string>(), merged["name"].get<std::string>(), merged["type"].get<std::string>(),
         merged["region"].get<std::string>(), merged["address"].get<std::string>(),
         merged["timezone"].get<std::string>(), merged["status"].get<std::string>(),
         merged["opens_at"].get<std::string>(), merged["closes_at"].get<std::string>(), NowUnix(), *id}));
    STORECRM_TRY(ctx.Audit({"store.update", "store", std::to_string(*id), fields.dump()}));
    auto store = LoadStore(ctx, *id);
    if (!store.ok()) return store.take_error();
    return http::JsonOk(*store);
}

}  // namespace

void RegisterStoreRoutes(http::Router& router) {
    using storage::TxMode;
    router.Add({.method = "GET", .pattern = "/api/v1/stores", .permission = "stores.read", .tx = TxMode::kRead,
                .tag = "stores", .summary = "List the stores in my scope (?q=&status=&region=)", .handler = ListStores});
    router.Add({.method = "POST", .pattern = "/api/v1/stores", .permission = "stores.manage", .tx = TxMode::kWrite,
                .tag = "stores", .summary = "Create a store", .handler = CreateStore,
                .request_schema = R"({"type":"object","required":["code","name","type"],"properties":{"code":{"type":"string"},"name":{"type":"string"},"type":{"type":"string","enum":["direct","franchise"]},"region":{"type":"string"},"address":{"type":"string"},"timezone":{"type":"string"},"opens_at":{"type":"string"},"closes_at":{"type":"string"},"status":{"type":"string","enum":["active","closed"]}}})"});
    router.Add({.method = "GET", .pattern = "/api/v1/stores/{id}", .permission = "stores.read", .tx = TxMode::kRead,
                .tag = "stores", .summary = "One store", .handler = GetStore});
    router.Add({.method = "PUT", .pattern = "/api/v1/stores/{id}", .permission = "stores.manage", .tx = TxMode::kWrite,
                .tag = "stores", .summary = "Update a store (send version)", .handler = UpdateStore});
}

}  // namespace storecrm::stores
