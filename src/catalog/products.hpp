#pragma once
// Products, categories and stock: the SQL of the catalogue, used by its routes and by sales.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/error.hpp"
#include "storage/database.hpp"

namespace storecrm::catalog {

struct Product {
    int64_t id = 0;
    std::string sku;
    std::optional<std::string> barcode;
    std::string name;
    std::optional<int64_t> category_id;
    int64_t price = 0;
    std::string status = "active";
    int64_t version = 1;
    int64_t category_points_pct = 100;
};

inline constexpr const char* kProductColumns =
    "p.id, p.sku, p.barcode, p.name, p.category_id, p.price, p.status, p.version, "
    "COALESCE(c.points_multiplier_pct, 100)";
inline constexpr const char* kProductFrom = " FROM products p LEFT JOIN product_categories c ON c.id = p.category_id";
Product ProductFromRow(const storage::Row& r);
nlohmann::json ProductJson(const Product& p);

Result<std::optional<Product>> LoadProduct(storage::Transaction& tx, int64_t id);
// Products by SKU or barcode, keyed by the code asked for.
Result<std::map<std::string, Product>> ProductsByCode(storage::Transaction& tx, const std::vector<std::string>& codes);

struct StockMove {
    int64_t store_id = 0;
    int64_t product_id = 0;
    int64_t quantity = 0;  // signed: negative takes out
    std::string reason;    // sale | refund | adjustment | transfer_in | transfer_out
    std::string source_type;
    std::optional<int64_t> source_id;
    std::string note;
    std::optional<int64_t> operator_id;
    int64_t now = 0;
};
// Moves stock and appends the movement. A sale may take stock below zero (the shelf is the
// truth at the till); the low-stock list shows it.
Status MoveStock(storage::Transaction& tx, const StockMove& move);

// Gives products written without a search form of their name (the demo and sales-history
// imports before 2026-11-29 left name_fold empty or unfolded) the folded name the product
// search matches, once per database. Returns how many were repaired.
Result<int64_t> RefoldProductNames(storage::Transaction& tx);

}  // namespace storecrm::catalog
