#include "common/csv.hpp"

namespace storecrm {

std::optional<std::vector<CsvRow>> ParseCsv(std::string_view text) {
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    std::vector<CsvRow> rows;
    CsvRow row;
    std::string field;
    bool quoted = false, field_started = false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
            continue;
        }
        if (c == '"' && field.empty()) {
            quoted = field_started = true;
        } else if (c == ',') {
            row.push_back(std::move(field));
            field.clear();
            field_started = true;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
            if (field_started || !field.empty() || !row.empty()) {
                row.push_back(std::move(field));
                rows.push_back(std::move(row));
            }
            row.clear();
            field.clear();
            field_started = false;
        } else {
            field += c;
            field_started = true;
        }
    }
    if (quoted) return std::nullopt;
    if (field_started || !field.empty() || !row.empty()) {
        row.push_back(std::move(field));
        rows.push_back(std::move(row));
    }
    return rows;
}

std::string CsvField(std::string_view value) {
    std::string out = "\"";
    const bool number = !value.empty() && value.find_first_not_of("-0123456789.") == std::string_view::npos &&
                        value.find('-', 1) == std::string_view::npos;
    // A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection"):
    // a leading apostrophe makes it text. Excel sheets need nothing: they hold text cells.
    const bool formula_like = !value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' ||
                                                 value[0] == '@' || value[0] == '\t' || value[0] == '\r');
    if (!number && formula_like) out += "'";
    for (char c : value) {
        if (c == '"') out += "\"\"";
        else out += c;
    }
    return out + "\"";
}

std::string CsvDocument(const std::vector<CsvRow>& rows) {
    std::string out = "\xEF\xBB\xBF";
    for (const auto& row : rows) {
        for (size_t i = 0; i < row.size(); ++i) out += (i ? "," : "") + CsvField(row[i]);
        out += "\r\n";
    }
    return out;
}

}  // namespace storecrm
