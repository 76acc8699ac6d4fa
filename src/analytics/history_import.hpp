#pragma once
// History import 历史数据导入: years of sales from a store's old system, in the layout of the
// public "Online Retail" data set (InvoiceNo, StockCode, Description, Quantity, InvoiceDate,
// UnitPrice, CustomerID, Country). Products and members are matched or created, invoices become
// sales of one "history" till, and cancellations (invoice "C…", negative quantities) become
// refunds of the customer's latest earlier purchase of the item. Importing the same file again
// adds nothing: invoices are unique per till and receipt number, and what a customer number or
// a cancellation became is remembered in import_refs.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "security/crypto.hpp"
#include "storage/database.hpp"

namespace storecrm::analytics {

struct ImportOptions {
    std::string store_code = "HISTORY";
    std::string timezone = "Europe/London";  // of the invoice times, for a store made by the import
    std::function<void(int64_t rows_done, int64_t rows_total)> progress;
};

struct ImportReport {
    int64_t rows = 0;
    int64_t bad_rows = 0;
    int64_t invoices = 0;            // in the file (not cancellations)
    int64_t invoices_imported = 0;   // new this time
    int64_t cancellations = 0;       // in the file
    int64_t cancellations_imported = 0;
    int64_t cancelled_lines_unmatched = 0;  // nothing earlier of that customer and item to refund
    int64_t products = 0, products_created = 0;
    int64_t members = 0, members_created = 0;
    std::vector<std::string> problems;  // "row N: field: reason", the first 50
};

Result<ImportReport> ImportOnlineRetail(storage::Database& db, const security::FieldVault& vault,
                                        const std::string& csv_text, const ImportOptions& options);

}  // namespace storecrm::analytics
