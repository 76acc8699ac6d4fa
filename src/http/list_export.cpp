#include "http/list_export.hpp"

#include <map>

#include <nlohmann/json.hpp>

#include "http/table_file.hpp"

namespace storecrm::http {
namespace {

using nlohmann::json;

std::string Cell(const json& value) {
    if (value.is_null()) return "";
    if (value.is_string()) return value.get<std::string>();
    if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
    if (value.is_array()) {
        std::string out;
        for (const auto& item : value) {
            // A list of named things ({id, name}) reads best as its names.
            const json& shown = item.is_object() && item.contains("name") ? item["name"] : item;
            out += (out.empty() ? "" : "; ") + (shown.is_string() ? shown.get<std::string>() : shown.dump());
        }
        return out;
    }
    return value.dump();
}

// {"a": 1, "b": {"c": 2}} → a, b.c (one level of nesting is what our lists have).
void Flatten(const json& item, const std::string& prefix, std::vector<std::pair<std::string, std::string>>& out) {
    for (const auto& [key, value] : item.items()) {
        if (value.is_object() && prefix.empty()) {
            Flatten(value, key + ".", out);
        } else {
            out.emplace_back(prefix + key, Cell(value));
        }
    }
}

void SetQuery(Request& request, const std::string& name, const std::string& value) {
    std::erase_if(request.query, [&](const auto& p) { return p.first == name; });
    request.query.emplace_back(name, value);
}

std::string FileName(const std::string& pattern) {
    // "/api/v1/members/{id}/interactions" → "members-interactions"
    std::string name;
    size_t start = std::string("/api/v1/").size();
    while (start < pattern.size()) {
        size_t end = pattern.find('/', start);
        if (end == std::string::npos) end = pattern.size();
        const std::string part = pattern.substr(start, end - start);
        if (!part.empty() && part.front() != '{') name += (name.empty() ? "" : "-") + part;
        start = end + 1;
    }
    return name.empty() ? "export" : name;
}

}  // namespace

bool WantsListExport(const Request& request, const Response& first) {
    auto format = request.QueryParam("format");
    if (!format || (*format != "csv" && *format != "xlsx")) return false;
    return first.status == 200 && first.content_type.rfind("application/json", 0) == 0 &&
           first.body.find("\"next_cursor\"") != std::string::npos;
}

Result<Response> ExportList(const Route& route, RequestContext& context, Request& request, Response first) {
    const bool excel = request.QueryParam("format").value_or("") == "xlsx";
    std::vector<std::string> columns;
    std::map<std::string, size_t> column_index;
    std::vector<std::vector<std::pair<std::string, std::string>>> records;
    // A cursor never changes with the page size, so the caller's first page is the file's first
    // page; only a request that started mid-list starts again from the top.
    SetQuery(request, "limit", "200");
    if (request.QueryParam("cursor")) {
        std::erase_if(request.query, [](const auto& p) { return p.first == "cursor"; });
        auto start = route.handler(context);
        if (!start.ok()) return start;
        first = std::move(start).value();
    }
    Response page = std::move(first);
    for (;;) {
        auto body = json::parse(page.body, nullptr, false);
        if (!body.is_object() || !body.contains("items") || !body["items"].is_array()) break;
        for (const auto& item : body["items"]) {
            std::vector<std::pair<std::string, std::string>> cells;
            if (item.is_object()) Flatten(item, "", cells);
            else cells.emplace_back("value", Cell(item));
            for (const auto& [name, _] : cells) {
                if (column_index.emplace(name, columns.size()).second) columns.push_back(name);
            }
            records.push_back(std::move(cells));
        }
        const json& next = body["next_cursor"];
        if (!next.is_string() || static_cast<int64_t>(records.size()) >= kMaxExportRows) break;
        SetQuery(request, "cursor", next.get<std::string>());
        auto more = route.handler(context);
        if (!more.ok()) return more;
        page = std::move(more).value();
    }
    std::vector<CsvRow> rows;
    rows.push_back(columns);
    for (const auto& cells : records) {
        CsvRow row(columns.size());
        for (const auto& [name, value] : cells) row[column_index[name]] = value;
        rows.push_back(std::move(row));
    }
    const std::string name = FileName(route.pattern);
    STORECRM_TRY(context.Audit({"list.export", name, "",
                                json{{"route", route.pattern}, {"rows", records.size()}, {"format", excel ? "xlsx" : "csv"}}
                                    .dump()}));
    return TableFile(name, rows, excel);
}

}  // namespace storecrm::http
