#include "http/table_file.hpp"

#include "common/clock.hpp"
#include "common/xlsx.hpp"

namespace storecrm::http {

Result<Response> TableFile(const std::string& name, const std::vector<CsvRow>& rows, bool excel) {
    Response r;
    const std::string day = FormatIsoUtc(NowUnix() + 8 * 3600).substr(0, 10);  // the chain's China date
    const std::string file = name + "-" + day + (excel ? ".xlsx" : ".csv");
    if (excel) {
        auto bytes = XlsxDocument(name, rows);
        if (!bytes.ok()) return bytes.take_error();
        r.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        r.body = std::move(*bytes);
    } else {
        r.content_type = "text/csv; charset=utf-8";
        r.body = CsvDocument(rows);
    }
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + file + "\"");
    return r;
}

}  // namespace storecrm::http
