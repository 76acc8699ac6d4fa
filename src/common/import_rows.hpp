#pragma once
// What every file importer (members, products, sales) shares: the header row mapped to known
// columns by their English or Chinese names, and where bad rows and progress go. Rows are
// numbered as a spreadsheet shows them: the header is row 1.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/csv.hpp"
#include "common/error.hpp"

namespace storecrm {

struct ImportSink {
    static constexpr size_t kMaxErrors = 1000;
    std::vector<FieldError> errors;  // field "rows[N].column"
    int64_t error_rows = 0;          // rows with at least one error (may exceed what is kept)
    int64_t written = 0;             // rows created or updated
    std::function<void(int64_t rows_done)> progress;

    // Records a row's errors under "rows[N]." (N = spreadsheet row); returns false if none.
    bool AddRowErrors(size_t row_number, const std::vector<FieldError>& row_errors);
    void AddRowError(size_t row_number, const std::string& column, Message message);
};

// Column name → index, for the known columns found in `header` under any of their names.
struct ColumnAlias {
    const char* name;                   // the name used in field errors ("phone")
    std::vector<std::string> aliases;  // other names accepted ("手机号", "手机", "mobile")
};
class Columns {
public:
    Columns(const CsvRow& header, const std::vector<ColumnAlias>& known);
    bool Has(const std::string& name) const { return index_.count(name) > 0; }
    // The cell under `name` in `row`, trimmed; nullopt when the column is absent.
    std::optional<std::string> Cell(const CsvRow& row, const std::string& name) const;

private:
    std::map<std::string, size_t> index_;
};

// An Excel date serial ("45262") as YYYY-MM-DD; other text unchanged. Excel stores dates as
// days since 1899-12-30.
std::string ExcelDateText(const std::string& cell);

}  // namespace storecrm
