#include "common/xlsx.hpp"

#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdlib>
#include <fstream>
#include <iterator>

namespace storecrm {
namespace {

// Amounts and counts become numbers; codes that only look numeric stay text: a leading zero
// ("007"), or 11+ digits (a phone number, a barcode) that a spreadsheet would round or show
// as 1.38E+10.
bool AsNumber(const std::string& text, double& out) {
    if (text.empty() || text.size() > 20) return false;
    const size_t digits = text.find_first_not_of("-0123456789") == std::string::npos ? text.size() : 0;
    if (digits >= 11) return false;
    const size_t lead = text[0] == '-' ? 1 : 0;
    if (text.size() > lead + 1 && text[lead] == '0' && text[lead + 1] != '.') return false;
    char* end = nullptr;
    out = std::strtod(text.c_str(), &end);
    return end && *end == '\0' && text.find_first_not_of("-0123456789.") == std::string::npos;
}

}  // namespace

Result<std::string> XlsxDocument(const std::string& sheet_name, const std::vector<CsvRow>& rows) {
    // libxlsxwriter writes to a file: a private temporary one, read back and removed.
    char path[] = "/tmp/storecrm-export-XXXXXX";
    const int fd = mkstemp(path);
    if (fd < 0) return Error::Internal("cannot create a temporary file for the export");
    close(fd);
    lxw_workbook* workbook = workbook_new(path);
    if (!workbook) {
        unlink(path);
        return Error::Internal("cannot start the workbook");
    }
    lxw_worksheet* sheet = workbook_add_worksheet(workbook, sheet_name.substr(0, 31).c_str());
    lxw_format* bold = workbook_add_format(workbook);
    format_set_bold(bold);
    for (size_t r = 0; r < rows.size(); ++r) {
        for (size_t c = 0; c < rows[r].size(); ++c) {
            double number = 0;
            const auto row = static_cast<lxw_row_t>(r);
            const auto col = static_cast<lxw_col_t>(c);
            if (r > 0 && AsNumber(rows[r][c], number)) {
                worksheet_write_number(sheet, row, col, number, nullptr);
            } else {
                worksheet_write_string(sheet, row, col, rows[r][c].c_str(), r == 0 ? bold : nullptr);
            }
        }
    }
    const lxw_error status = workbook_close(workbook);
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    unlink(path);
    if (status != LXW_NO_ERROR || bytes.empty()) return Error::Internal(std::string("xlsx: ") + lxw_strerror(status));
    return bytes;
}

}  // namespace storecrm
