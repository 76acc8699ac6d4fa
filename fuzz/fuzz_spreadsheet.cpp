// An uploaded file: the CSV reader (and writing what it read back out), the .xlsx reader on
// anything that starts like a zip, and the column mapping importers use.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "common/csv.hpp"
#include "common/import_rows.hpp"
#include "common/xlsx_reader.hpp"

using namespace storecrm;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view bytes(reinterpret_cast<const char*>(data), size);
    if (auto rows = ParseCsv(bytes); rows && !rows->empty()) {
        (void)CsvDocument(*rows);
        Columns columns((*rows)[0], {{"phone", {"手机号"}}, {"name", {"姓名"}}});
        for (const auto& row : *rows) {
            (void)columns.Cell(row, "phone");
            if (auto name = columns.Cell(row, "name")) (void)ExcelDateText(*name);
        }
    }
    if (LooksLikeXlsx(bytes)) (void)ReadXlsxFirstSheet(bytes);
    return 0;
}
