// Products 商品 and their category tree: list and search, create and edit, lookup by SKU or
// barcode (the till's scanner), and CSV import that writes nothing unless every row is valid.
#include <map>

#include <nlohmann/json.hpp>

#include "catalog/products.hpp"
#include "catalog/product_import.hpp"
#include "catalog/routes.hpp"
#include "common/clock.hpp"
#include "common/csv.hpp"
#include "common/text_fold.hpp"
#include "http/body_reader.hpp"
#include "http/json_response.hpp"
#include "http/paging.hpp"
#include "loyalty/coupons.hpp"

namespace storecrm::catalog {
namespace {

using http::RequestContext;
using nlohmann::json;

bool IsBarcode(const std::string& code) {
    for (char c : code) {
        if (!std::isalnum(static_cast<unsigned char>(c))) return false;
    }
    return !code.empty();
}

bool IsSku(const std::string& code) {
    for (char c : code) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') return false;
    }
    return !code.empty();
}

Result<http::Response> ListProducts(RequestContext& ctx) {
    auto page = http::ReadPage(ctx.request, 20, 200);
    if (!page.ok()) return page.take_error();
    storage::Params params;
    std::string where = " WHERE 1 = 1";
    if (auto q = ctx.request.QueryParam("q"); q && !q->empty()) {
        where += " AND (p.sku = ? OR p.barcode = ? OR p.name_fold LIKE ?)";
        params.insert(params.end(), {*q, *q, "%" + FoldText(*q) + "%"});
    }
    if (auto status = ctx.request.QueryParam("status"); status && !status->empty()) {
        where += " AND p.status = ?";
        params.emplace_back(*status);
    }
    if (auto category = ctx.request.QueryParam("category_id"); category && !category->empty()) {
        int64_t id = 0;
        try {
            id = std::stoll(*category);
        } catch (...) {
            return Error::Field("category_id", "field.must_be_integer");
        }
        auto ids = loyalty::CategoryWithDescendants(ctx.tx, {id});
        if (!ids.ok()) return ids.take_error();
        where += " AND p.category_id IN (";
        for (size_t i = 0; i < ids->size(); ++i) {
            where += i ? ", ?" : "?";
            params.emplace_back((*ids)[i]);
        }
        where += ")";
    }
    auto total = ctx.tx.QueryOne(std::string("SELECT COUNT(*)") + kProductFrom + where, params);
    if (!total.ok()) return total.take_error();
    params.emplace_back(page->limit);
    params.emplace_back(page->offset);
    auto rows = ctx.tx.Query(std::string("SELECT ") + kProductColumns + kProductFrom + where +
                                 " ORDER BY p.sku LIMIT ? OFFSET ?",
                             params);
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) items.push_back(ProductJson(ProductFromRow(r)));
    return http::PageResponse(std::move(items), page->NextCursor((*total)->Int(0)), (*total)->Int(0));
}

Result<http::Response> GetProduct(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto product = LoadProduct(ctx.tx, *id);
    if (!product.ok()) return product.take_error();
    if (!product->has_value()) return Error::NotFound();
    return http::JsonOk(ProductJson(**product));
}

// GET /products/lookup?code= : the scanner's question, by SKU or barcode.
Result<http::Response> LookupProduct(RequestContext& ctx) {
    auto code = ctx.request.QueryParam("code");
    if (!code || code->empty()) return Error::Field("code", "field.required");
    auto found = ProductsByCode(ctx.tx, {*code});
    if (!found.ok()) return found.take_error();
    if (found->empty()) return Error::NotFound();
    return http::JsonOk(ProductJson(found->begin()->second));
}

Status CheckCategory(storage::Transaction& tx, std::optional<int64_t> id, const std::string& field) {
    if (!id) return Ok();
    auto row = tx.QueryOne("SELECT 1 FROM product_categories WHERE id = ?", {*id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Error::Field(field, "field.not_found");
    return Ok();
}

// Checks that no other product holds the SKU or barcode.
Status CheckUnique(storage::Transaction& tx, const Product& p) {
    auto sku = tx.QueryOne("SELECT 1 FROM products WHERE sku = ? AND id <> ?", {p.sku, p.id});
    if (!sku.ok()) return sku.take_error();
    if (sku->has_value()) return Error::Conflict("sku", "field.sku_taken");
    if (p.barcode) {
        auto barcode = tx.QueryOne("SELECT 1 FROM products WHERE barcode = ? AND id <> ?", {*p.barcode, p.id});
        if (!barcode.ok()) return barcode.take_error();
        if (barcode->has_value()) return Error::Conflict("barcode", "field.barcode_taken");
    }
    return Ok();
}

Status ReadProduct(http::BodyReader& body, bool creating, Product& p) {
    if (auto sku = body.Text("sku", {.required = creating, .max_chars = 64})) {
        if (!IsSku(*sku)) body.AddError("sku", "field.invalid_code");
        p.sku = *sku;
    }
    if (body.Has("barcode")) {
        auto barcode = body.Text("barcode", {.max_chars = 32});
        if (barcode && !barcode->empty() && !IsBarcode(*barcode)) body.AddError("barcode", "field.invalid_barcode");
        p.barcode = barcode && !barcode->empty() ? barcode : std::nullopt;
    }
    if (auto name = body.Text("name", {.required = creating, .max_chars = 100, .min_chars = 1})) p.name = *name;
    if (body.Has("category_id")) p.category_id = body.Int("category_id", false, 1);
    if (auto price = body.Int("price", creating, 0, 100000000000)) p.price = *price;
    if (auto status = body.Choice("status", {"active", "inactive"})) p.status = *status;
    if (!creating) body.Accept("version");
    return body.Finish();
}

Status SaveProduct(storage::Transaction& tx, Product& p, bool creating) {
    const int64_t now = NowUnix();
    if (creating) {
        auto row = tx.QueryOne(
            "INSERT INTO products (sku, barcode, name, name_fold, category_id, price, status, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
            {p.sku, p.barcode, p.name, FoldText(p.name), p.category_id, p.price, p.status, now, now});
        if (!row.ok()) return row.take_error();
        p.id = (*row)->Int(0);
        return Ok();
    }
    auto changed = tx.Exec(
        "UPDATE products SET sku = ?, barcode = ?, name = ?, name_fold = ?, category_id = ?, price = ?, status = ?, "
        "version = version + 1, updated_at = ? WHERE id = ? AND version = ?",
        {p.sku, p.barcode, p.name, FoldText(p.name), p.category_id, p.price, p.status, now, p.id, p.version});
    if (!changed.ok()) return changed.take_error();
    if (changed->changes != 1) return Error::VersionConflict();
    return Ok();
}

Result<http::Response> CreateProduct(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    Product p;
    STORECRM_TRY(ReadProduct(*body, true, p));
    STORECRM_TRY(CheckCategory(ctx.tx, p.category_id, "category_id"));
    STORECRM_TRY(CheckUnique(ctx.tx, p));
    STORECRM_TRY(SaveProduct(ctx.tx, p, true));
    STORECRM_TRY(ctx.Audit({"product.create", "product", std::to_string(p.id), ProductJson(p).dump()}));
    auto saved = LoadProduct(ctx.tx, p.id);
    if (!saved.ok()) return saved.take_error();
    return http::JsonOk(ProductJson(**saved), 201);
}

Result<http::Response> UpdateProduct(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto current = LoadProduct(ctx.tx, *id);
    if (!current.ok()) return current.take_error();
    if (!current->has_value()) return Error::NotFound();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto version = body->Int("version", true, 1);
    Product p = **current;
    STORECRM_TRY(ReadProduct(*body, false, p));
    STORECRM_TRY(http::CheckVersion(*version, ProductJson(**current)));
    STORECRM_TRY(CheckCategory(ctx.tx, p.category_id, "category_id"));
    STORECRM_TRY(CheckUnique(ctx.tx, p));
    STORECRM_TRY(SaveProduct(ctx.tx, p, false));
    STORECRM_TRY(ctx.Audit({"product.update", "product", std::to_string(p.id), ProductJson(p).dump()}));
    auto saved = LoadProduct(ctx.tx, p.id);
    if (!saved.ok()) return saved.take_error();
    return http::JsonOk(ProductJson(**saved));
}

}  // namespace

const std::vector<ColumnAlias>& ProductColumns() {
    static const std::vector<ColumnAlias> known = {
        {"sku", {"商品编码", "货号", "编码"}},
        {"name", {"名称", "商品名称", "品名"}},
        {"price", {"价格（分）", "price_fen"}},
        {"price_yuan", {"价格", "售价", "单价", "零售价"}},
        {"barcode", {"条码", "条形码"}},
        {"category", {"类别", "分类", "品类"}},
        {"status", {"状态"}},
    };
    return known;
}

Status ImportProductRows(RequestContext& ctx, const std::vector<CsvRow>& rows, ImportSink& sink, bool write,
                         int64_t* created) {
    if (rows.empty()) return Error::Field("file", "field.required");
    const Columns columns(rows[0], ProductColumns());
    if (!columns.Has("sku") || !columns.Has("name") || (!columns.Has("price") && !columns.Has("price_yuan"))) {
        return Error::Field("file", "field.required_columns");
    }
    auto categories = ctx.tx.Query("SELECT id, name FROM product_categories");
    if (!categories.ok()) return categories.take_error();
    std::map<std::string, int64_t> category_ids;
    for (const auto& r : *categories) category_ids[FoldText(r.Text(1))] = r.Int(0);

    std::vector<std::pair<Product, bool>> plan;  // product, creating
    std::map<std::string, size_t> seen_sku;
    for (size_t n = 1; n < rows.size(); ++n) {
        const auto& row = rows[n];
        const size_t row_number = n + 1;
        if (sink.progress) sink.progress(static_cast<int64_t>(n));
        auto cell = [&](const char* name) { return columns.Cell(row, name); };
        json object = {{"sku", cell("sku").value_or("")}, {"name", cell("name").value_or("")}};
        if (auto barcode = cell("barcode"); barcode && !barcode->empty()) object["barcode"] = *barcode;
        if (auto status = cell("status"); status && !status->empty()) object["status"] = *status;
        const bool yuan = columns.Has("price_yuan");
        auto price_text = yuan ? cell("price_yuan") : cell("price");
        try {
            size_t used = 0;
            const double value = std::stod(price_text.value_or(""), &used);
            if (used != price_text->size()) throw std::invalid_argument("price");
            object["price"] = yuan ? static_cast<int64_t>(value * 100 + 0.5) : static_cast<int64_t>(value);
        } catch (...) {
            sink.AddRowError(row_number, "price", {"field.must_be_number", {}});  // the documented name for either column
            continue;
        }
        if (auto category = cell("category"); category && !category->empty()) {
            auto it = category_ids.find(FoldText(*category));
            if (it == category_ids.end()) {
                sink.AddRowError(row_number, "category", {"field.not_found", {}});
                continue;
            }
            object["category_id"] = it->second;
        }
        Product p;
        auto existing = ProductsByCode(ctx.tx, {object["sku"].get<std::string>()});
        if (!existing.ok()) return existing.take_error();
        const bool creating = existing->empty() || existing->begin()->second.sku != object["sku"];
        if (!creating) p = existing->begin()->second;
        http::BodyReader reader(object);
        auto status = ReadProduct(reader, true, p);
        if (!status.ok()) {
            sink.AddRowErrors(row_number, status.error().fields);
            continue;
        }
        if (!seen_sku.emplace(p.sku, n).second) {
            sink.AddRowError(row_number, "sku", {"field.sku_taken", {}});
            continue;
        }
        auto unique = CheckUnique(ctx.tx, p);
        if (!unique.ok()) {
            if (unique.error().fields.empty()) return unique;
            sink.AddRowErrors(row_number, unique.error().fields);
            continue;
        }
        plan.emplace_back(p, creating);
    }
    if (!sink.errors.empty()) return Ok();
    for (auto& [product, creating] : plan) {
        if (write) STORECRM_TRY(SaveProduct(ctx.tx, product, creating));
        if (creating) ++*created;
        ++sink.written;
    }
    if (write) {
        STORECRM_TRY(ctx.Audit({"product.import", "product", "",
                                json({{"created", *created}, {"updated", sink.written - *created}}).dump()}));
    }
    return Ok();
}

std::vector<CsvRow> ProductImportTemplate() {
    return {{"sku", "name", "price_yuan", "barcode", "category", "status"},
            {"SKU001", "经典白T恤", "99.00", "6901234567890", "", "active"}};
}

namespace {

// POST /products/import (text/csv): columns sku, name, price (fen) or price_yuan, and
// optionally barcode, category (a category name), status. A row whose SKU exists updates that
// product. Every problem is reported as rows[N].column; nothing is written unless all rows
// pass. ?dry_run=1 only checks.
Result<http::Response> ImportProducts(RequestContext& ctx) {
    auto rows = ParseCsv(ctx.request.body);
    if (!rows || rows->empty()) return Error::Field("file", "field.required");
    const bool dry_run = ctx.request.QueryParam("dry_run").value_or("") == "1";
    ImportSink sink;
    int64_t created = 0;
    STORECRM_TRY(ImportProductRows(ctx, *rows, sink, !dry_run, &created));
    if (!sink.errors.empty()) return Error::Validation(std::move(sink.errors));
    return http::JsonOk(
        {{"created", created}, {"updated", sink.written - created}, {"dry_run", dry_run}, {"errors", json::array()}});
}

// Categories: a small tree, returned whole.
json CategoryJson(const storage::Row& r) {
    return {{"id", r.Int(0)},
            {"parent_id", r.IsNull(1) ? json() : json(r.Int(1))},
            {"name", r.Text(2)},
            {"points_multiplier_pct", r.Int(3)},
            {"version", r.Int(4)}};
}

Result<http::Response> ListCategories(RequestContext& ctx) {
    auto rows = ctx.tx.Query(
        "SELECT id, parent_id, name, points_multiplier_pct, version FROM product_categories ORDER BY parent_id, name, id");
    if (!rows.ok()) return rows.take_error();
    json items = json::array();
    for (const auto& r : *rows) items.push_back(CategoryJson(r));
    return http::JsonOk({{"items", items}});
}

Result<json> ReadCategory(RequestContext& ctx, http::BodyReader& body, bool creating, json current) {
    if (auto name = body.Text("name", {.required = creating, .max_chars = 64, .min_chars = 1})) current["name"] = *name;
    if (body.Has("parent_id")) {
        auto parent = body.Int("parent_id", false, 1);
        current["parent_id"] = parent ? json(*parent) : json();
    }
    if (auto pct = body.Int("points_multiplier_pct", false, 0, 1000)) current["points_multiplier_pct"] = *pct;
    if (!creating) body.Accept("version");
    STORECRM_TRY(body.Finish());
    if (!current["parent_id"].is_null()) {
        const int64_t parent = current["parent_id"].get<int64_t>();
        STORECRM_TRY(CheckCategory(ctx.tx, parent, "parent_id"));
        if (!creating) {
            auto below = loyalty::CategoryWithDescendants(ctx.tx, {current["id"].get<int64_t>()});
            if (!below.ok()) return below.take_error();
            if (std::find(below->begin(), below->end(), parent) != below->end()) {
                return Error::Field("parent_id", "field.category_cycle");
            }
        }
    }
    return current;
}

Result<http::Response> CreateCategory(RequestContext& ctx) {
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto c = ReadCategory(ctx, *body, true, {{"parent_id", nullptr}, {"points_multiplier_pct", 100}});
    if (!c.ok()) return c.take_error();
    const int64_t now = NowUnix();
    auto row = ctx.tx.QueryOne(
        "INSERT INTO product_categories (parent_id, name, points_multiplier_pct, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?) RETURNING id, parent_id, name, points_multiplier_pct, version",
        {(*c)["parent_id"].is_null() ? storage::Value() : storage::Value((*c)["parent_id"].get<int64_t>()),
         (*c)["name"].get<std::string>(), (*c)["points_multiplier_pct"].get<int64_t>(), now, now});
    if (!row.ok()) return row.take_error();
    STORECRM_TRY(ctx.Audit({"category.create", "category", std::to_string((*row)->Int(0)), c->dump()}));
    return http::JsonOk(CategoryJson(**row), 201);
}

Result<http::Response> UpdateCategory(RequestContext& ctx) {
    auto id = ctx.PathId();
    if (!id.ok()) return id.take_error();
    auto row = ctx.tx.QueryOne("SELECT id, parent_id, name, points_multiplier_pct, version FROM product_categories WHERE id = ?",
                               {*id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Error::NotFound();
    auto body = http::BodyReader::Parse(ctx.request);
    if (!body.ok()) return body.take_error();
    auto version = body->Int("version", true, 1);
    const json current = CategoryJson(**row);
    auto c = ReadCategory(ctx, *body, false, current);
    if (!c.ok()) return c.take_error();
    STORECRM_TRY(http::CheckVersion(*version, current));
    auto saved = ctx.tx.QueryOne(
        "UPDATE product_categories SET parent_id = ?, name = ?, points_multiplier_pct = ?, version = version + 1, "
        "updated_at = ? WHERE id = ? RETURNING id, parent_id, name, points_multiplier_pct, version",
        {(*c)["parent_id"].is_null() ? storage::Value() : storage::Value((*c)["parent_id"].get<int64_t>()),
         (*c)["name"].get<std::string>(), (*c)["points_multiplier_pct"].get<int64_t>(), NowUnix(), *id});
    if (!saved.ok()) return saved.take_error();
    STORECRM_TRY(ctx.Audit({"category.update", "category", std::to_string(*id), c->dump()}));
    return http::JsonOk(CategoryJson(**saved));
}

constexpr const char* kProductSchema =
    R"({"type":"object","properties":{"sku":{"type":"string"},"barcode":{"type":"string"},"name":{"type":"string"},"category_id":{"type":"integer"},"price":{"type":"integer","description":"fen"},"status":{"type":"string","enum":["active","inactive"]}}})";

}  // namespace

void RegisterProductRoutes(http::Router& router) {
    using storage::TxMode;
    router.Add({.method = "GET", .pattern = "/api/v1/products", .permission = "products.read", .tx = TxMode::kRead,
                .tag = "catalog", .summary = "List products (?q=sku|barcode|name&category_id=&status=)",
                .handler = ListProducts});
    router.Add({.method = "GET", .pattern = "/api/v1/products/lookup", .permission = "products.read",
                .tx = TxMode::kRead, .tag = "catalog", .summary = "Find a product by SKU or barcode (?code=)",
                .handler = LookupProduct});
    router.Add({.method = "POST", .pattern = "/api/v1/products", .permission = "products.manage", .tx = TxMode::kWrite,
                .tag = "catalog", .summary = "Create a product", .handler = CreateProduct, .request_schema = kProductSchema});
    router.Add({.method = "POST", .pattern = "/api/v1/products/import", .permission = "products.manage",
                .tx = TxMode::kWrite, .tag = "catalog",
                .summary = "Import products from CSV (all rows or none; ?dry_run=1 checks only)", .handler = ImportProducts});
    router.Add({.method = "GET", .pattern = "/api/v1/products/{id}", .permission = "products.read", .tx = TxMode::kRead,
                .tag = "catalog", .summary = "One product", .handler = GetProduct});
    router.Add({.method = "PUT", .pattern = "/api/v1/products/{id}", .permission = "products.manage",
                .tx = TxMode::kWrite, .tag = "catalog", .summary = "Update a product (send version)",
                .handler = UpdateProduct, .request_schema = kProductSchema});
    router.Add({.method = "GET", .pattern = "/api/v1/product-categories", .permission = "products.read",
                .tx = TxMode::kRead, .tag = "catalog", .summary = "The category tree (flat, with parent_id)",
                .handler = ListCategories});
    router.Add({.method = "POST", .pattern = "/api/v1/product-categories", .permission = "products.manage",
                .tx = TxMode::kWrite, .tag = "catalog", .summary = "Create a category", .handler = CreateCategory});
    router.Add({.method = "PUT", .pattern = "/api/v1/product-categories/{id}", .permission = "products.manage",
                .tx = TxMode::kWrite, .tag = "catalog", .summary = "Update a category (send version)",
                .handler = UpdateCategory});
}

}  // namespace storecrm::catalog
