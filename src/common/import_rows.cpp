#include "common/import_rows.hpp"

#include <chrono>
#include <cstdio>

#include "common/text_fold.hpp"

namespace storecrm {

bool ImportSink::AddRowErrors(size_t row_number, const std::vector<FieldError>& row_errors) {
    if (row_errors.empty()) return false;
    ++error_rows;
    for (const auto& e : row_errors) {
        if (errors.size() >= kMaxErrors) break;
        errors.push_back({"rows[" + std::to_string(row_number) + "]." + e.field, e.message});
    }
    return true;
}

void ImportSink::AddRowError(size_t row_number, const std::string& column, Message message) {
    AddRowErrors(row_number, {{column, std::move(message)}});
}

namespace {
std::string Trim(const std::string& text) {
    const size_t first = text.find_first_not_of(" \t\r\n");
    if (first == std::string::npos) return "";
    const size_t last = text.find_last_not_of(" \t\r\n");
    return text.substr(first, last - first + 1);
}
}  // namespace

Columns::Columns(const CsvRow& header, const std::vector<ColumnAlias>& known) {
    for (size_t i = 0; i < header.size(); ++i) {
        const std::string folded = FoldText(Trim(header[i]));
        for (const auto& column : known) {
            bool match = folded == FoldText(column.name);
            for (const auto& alias : column.aliases) match = match || folded == FoldText(alias);
            if (match && !index_.count(column.name)) index_[column.name] = i;
        }
    }
}

std::optional<std::string> Columns::Cell(const CsvRow& row, const std::string& name) const {
    auto it = index_.find(name);
    if (it == index_.end()) return std::nullopt;
    if (it->second >= row.size()) return std::string();
    return Trim(row[it->second]);
}

std::string ExcelDateText(const std::string& cell) {
    if (cell.empty() || cell.find_first_not_of("0123456789.") != std::string::npos) return cell;
    const long serial = std::strtol(cell.c_str(), nullptr, 10);
    if (serial < 1 || serial > 2958465) return cell;  // up to 9999-12-31
    using namespace std::chrono;
    const year_month_day ymd{sys_days{year{1899} / December / 30} + days{serial}};
    char out[16];
    std::snprintf(out, sizeof out, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()));
    return out;
}

}  // namespace storecrm
