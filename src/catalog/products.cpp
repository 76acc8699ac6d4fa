#include "catalog/products.hpp"

#include "common/text_fold.hpp"

#include <nlohmann/json.hpp>

namespace storecrm::catalog {

Product ProductFromRow(const storage::Row& r) {
    Product p;
    p.id = r.Int(0);
    p.sku = r.Text(1);
    p.barcode = r.OptText(2);
    p.name = r.Text(3);
    p.category_id = r.OptInt(4);
    p.price = r.Int(5);
    p.status = r.Text(6);
    p.version = r.Int(7);
    p.category_points_pct = r.Int(8);
    return p;
}

nlohmann::json ProductJson(const Product& p) {
    return {{"id", p.id},
            {"sku", p.sku},
            {"barcode", p.barcode ? nlohmann::json(*p.barcode) : nlohmann::json()},
            {"name", p.name},
            {"category_id", p.category_id ? nlohmann::json(*p.category_id) : nlohmann::json()},
            {"price", p.price},
            {"status", p.status},
            {"version", p.version}};
}

Result<std::optional<Product>> LoadProduct(storage::Transaction& tx, int64_t id) {
    auto row = tx.QueryOne(std::string("SELECT ") + kProductColumns + kProductFrom + " WHERE p.id = ?", {id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return std::optional<Product>();
    return std::optional<Product>(ProductFromRow(**row));
}

Result<std::map<std::string, Product>> ProductsByCode(storage::Transaction& tx, const std::vector<std::string>& codes) {
    std::map<std::string, Product> found;
    for (const auto& code : codes) {
        if (found.count(code)) continue;
        auto row = tx.QueryOne(std::string("SELECT ") + kProductColumns + kProductFrom +
                                   " WHERE p.sku = ? OR p.barcode = ? ORDER BY CASE WHEN p.sku = ? THEN 0 ELSE 1 END",
                               {code, code, code});
        if (!row.ok()) return row.take_error();
        if (row->has_value()) found.emplace(code, ProductFromRow(**row));
    }
    return found;
}

Status MoveStock(storage::Transaction& tx, const StockMove& m) {
    // One statement on both engines: concurrent first sales of a product in a store cannot collide.
    STORECRM_TRY(tx.Defer(
        "INSERT INTO stock (store_id, product_id, quantity) VALUES (?, ?, ?) ON CONFLICT (store_id, product_id) "
        "DO UPDATE SET quantity = stock.quantity + excluded.quantity",
        {m.store_id, m.product_id, m.quantity}));
    STORECRM_TRY(tx.Defer(
        "INSERT INTO stock_movements (store_id, product_id, quantity, reason, source_type, source_id, note, operator_id, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {m.store_id, m.product_id, m.quantity, m.reason, m.source_type, m.source_id, m.note, m.operator_id, m.now}));
    return Ok();
}

Result<int64_t> RefoldProductNames(storage::Transaction& tx) {
    // Once per database: the mark below says the repair ran (new products are folded as written).
    constexpr const char* kDone = "products.name_fold_repaired";
    auto done = tx.QueryOne("SELECT 1 FROM sequences WHERE name = ?", {kDone});
    if (!done.ok()) return done.take_error();
    if (done->has_value()) return 0;
    auto rows = tx.Query("SELECT id, name, name_fold FROM products");
    if (!rows.ok()) return rows.take_error();
    int64_t repaired = 0;
    for (const auto& r : *rows) {
        const std::string folded = FoldText(r.Text(1));
        if (folded == r.Text(2)) continue;
        STORECRM_TRY(tx.Exec("UPDATE products SET name_fold = ? WHERE id = ?", {folded, r.Int(0)}));
        ++repaired;
    }
    STORECRM_TRY(tx.Exec("INSERT INTO sequences (name, value) VALUES (?, 1)", {kDone}));
    return repaired;
}

}  // namespace storecrm::catalog
