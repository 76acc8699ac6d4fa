#include "common/xlsx_reader.hpp"

#include <expat.h>
#include <zip.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace storecrm {
namespace {

Error NotAWorkbook(const std::string& detail) {
    Error e = Error::Field("file", "field.not_a_workbook");
    e.internal_detail = detail;
    return e;
}

class Archive {
public:
    explicit Archive(std::string_view bytes) {
        zip_error_t error;
        zip_error_init(&error);
        zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
        if (source) {
            zip_ = zip_open_from_source(source, ZIP_RDONLY, &error);
            if (!zip_) zip_source_free(source);
        }
        zip_error_fini(&error);
    }
    ~Archive() {
        if (zip_) zip_discard(zip_);
    }
    bool ok() const { return zip_ != nullptr; }

    // The member's bytes, or nullopt when the archive has no such member.
    std::optional<std::string> Read(const std::string& name) const {
        zip_stat_t stat;
        if (zip_stat(zip_, name.c_str(), 0, &stat) != 0 || !(stat.valid & ZIP_STAT_SIZE)) return std::nullopt;
        if (stat.size > (512u << 20)) return std::nullopt;  // a zip bomb, not a spreadsheet
        zip_file_t* file = zip_fopen(zip_, name.c_str(), 0);
        if (!file) return std::nullopt;
        std::string out(stat.size, '\0');
        const zip_int64_t n = zip_fread(file, out.data(), stat.size);
        zip_fclose(file);
        if (n < 0 || static_cast<zip_uint64_t>(n) != stat.size) return std::nullopt;
        return out;
    }

private:
    zip_t* zip_ = nullptr;
};

// A small SAX walk: the handler sees local element names (prefix stripped), attributes and text.
struct XmlHandler {
    virtual ~XmlHandler() = default;
    virtual void Start(std::string_view name, const char** attributes) = 0;
    virtual void End(std::string_view name) = 0;
    virtual void Text(std::string_view text) = 0;
};

std::string_view LocalName(const char* name) {
    std::string_view n(name);
    const size_t colon = n.rfind(':');
    return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

const char* Attribute(const char** attributes, std::string_view wanted) {
    for (int i = 0; attributes[i]; i += 2) {
        if (LocalName(attributes[i]) == wanted) return attributes[i + 1];
    }
    return nullptr;
}

bool ParseXml(const std::string& text, XmlHandler& handler) {
    XML_Parser parser = XML_ParserCreate("UTF-8");
    XML_SetUserData(parser, &handler);
    XML_SetElementHandler(
        parser,
        [](void* h, const char* name, const char** attributes) { static_cast<XmlHandler*>(h)->Start(LocalName(name), attributes); },
        [](void* h, const char* name) { static_cast<XmlHandler*>(h)->End(LocalName(name)); });
    XML_SetCharacterDataHandler(parser, [](void* h, const char* s, int len) {
        static_cast<XmlHandler*>(h)->Text(std::string_view(s, static_cast<size_t>(len)));
    });
    const bool ok = XML_Parse(parser, text.data(), static_cast<int>(text.size()), 1) == XML_STATUS_OK;
    XML_ParserFree(parser);
    return ok;
}

// xl/sharedStrings.xml: each <si> is one string, the concatenation of its <t> runs.
struct SharedStrings : XmlHandler {
    std::vector<std::string> strings;
    bool in_t = false;
    void Start(std::string_view name, const char**) override {
        if (name == "si") strings.emplace_back();
        if (name == "t") in_t = true;
    }
    void End(std::string_view name) override {
        if (name == "t") in_t = false;
    }
    void Text(std::string_view text) override {
        if (in_t && !strings.empty()) strings.back() += text;
    }
};

// The first <sheet r:id="…"> of xl/workbook.xml, and the rels' Id → Target map.
struct FirstSheet : XmlHandler {
    std::string rel_id;
    void Start(std::string_view name, const char** a) override {
        if (name == "sheet" && rel_id.empty()) {
            if (const char* id = Attribute(a, "id")) rel_id = id;
        }
    }
    void End(std::string_view) override {}
    void Text(std::string_view) override {}
};
struct Relationships : XmlHandler {
    std::map<std::string, std::string> targets;
    void Start(std::string_view name, const char** a) override {
        if (name != "Relationship") return;
        const char* id = Attribute(a, "Id");
        const char* target = Attribute(a, "Target");
        if (id && target) targets[id] = target;
    }
    void End(std::string_view) override {}
    void Text(std::string_view) override {}
};

// "BC12" → column 54 (0-based: 54), row 11 (0-based).
bool CellPosition(const char* ref, size_t* column, size_t* row) {
    size_t c = 0, r = 0, i = 0;
    for (; ref[i] >= 'A' && ref[i] <= 'Z'; ++i) c = c * 26 + static_cast<size_t>(ref[i] - 'A' + 1);
    if (i == 0) return false;
    for (; ref[i] >= '0' && ref[i] <= '9'; ++i) r = r * 10 + static_cast<size_t>(ref[i] - '0');
    if (r == 0 || ref[i] != '\0') return false;
    *column = c - 1;
    *row = r - 1;
    return true;
}

struct Sheet : XmlHandler {
    const std::vector<std::string>& shared;
    std::vector<CsvRow> rows;
    size_t row = 0, column = 0, next_column = 0;
    std::string type, value;
    bool in_value = false, in_cell = false, bad = false;
    explicit Sheet(const std::vector<std::string>& s) : shared(s) {}

    void Start(std::string_view name, const char** a) override {
        if (name == "row") {
            const char* r = Attribute(a, "r");
            row = r ? static_cast<size_t>(std::strtoull(r, nullptr, 10)) - 1 : rows.size();
            if (row > 10'000'000) bad = true;
            if (!bad && rows.size() <= row) rows.resize(row + 1);
            next_column = 0;
        } else if (name == "c") {
            in_cell = true;
            value.clear();
            const char* t = Attribute(a, "t");
            type = t ? t : "n";
            const char* ref = Attribute(a, "r");
            size_t r = row;
            column = next_column;
            if (ref && !CellPosition(ref, &column, &r)) bad = true;
            if (column > 16384 || r > 10'000'000) bad = true;
            // A cell's own reference wins, and a <c> outside any <row> still needs a row to land in.
            row = r;
            if (!bad && rows.size() <= row) rows.resize(row + 1);
            next_column = column + 1;
        } else if ((name == "v" || name == "t") && in_cell) {
            in_value = true;
        }
    }
    void End(std::string_view name) override {
        if (name == "v" || name == "t") in_value = false;
        if (name != "c" || bad) return;
        in_cell = false;
        std::string text = value;
        if (type == "s") {
            const size_t index = static_cast<size_t>(std::strtoull(value.c_str(), nullptr, 10));
            text = index < shared.size() ? shared[index] : "";
        } else if (type == "b") {
            text = value == "1" ? "TRUE" : "FALSE";
        }
        auto& cells = rows[row];
        if (cells.size() <= column) cells.resize(column + 1);
        cells[column] = std::move(text);
    }
    void Text(std::string_view text) override {
        if (in_value) value += text;
    }
};

}  // namespace

bool LooksLikeXlsx(std::string_view bytes) { return bytes.size() > 4 && bytes.substr(0, 4) == std::string_view("PK\x03\x04", 4); }

Result<std::vector<CsvRow>> ReadXlsxFirstSheet(std::string_view bytes) {
    Archive archive(bytes);
    if (!archive.ok()) return NotAWorkbook("not a zip archive");
    std::vector<std::string> shared_strings;
    if (auto xml = archive.Read("xl/sharedStrings.xml")) {
        SharedStrings handler;
        if (!ParseXml(*xml, handler)) return NotAWorkbook("sharedStrings.xml");
        shared_strings = std::move(handler.strings);
    }
    std::string sheet_path = "xl/worksheets/sheet1.xml";
    auto workbook = archive.Read("xl/workbook.xml");
    auto rels = archive.Read("xl/_rels/workbook.xml.rels");
    if (!workbook) return NotAWorkbook("no xl/workbook.xml");
    if (rels) {
        FirstSheet first;
        Relationships relationships;
        if (ParseXml(*workbook, first) && ParseXml(*rels, relationships)) {
            auto it = relationships.targets.find(first.rel_id);
            if (it != relationships.targets.end()) {
                const std::string& target = it->second;
                sheet_path = target.rfind("/", 0) == 0 ? target.substr(1) : "xl/" + target;
            }
        }
    }
    auto sheet_xml = archive.Read(sheet_path);
    if (!sheet_xml) return NotAWorkbook("no " + sheet_path);
    Sheet sheet(shared_strings);
    if (!ParseXml(*sheet_xml, sheet) || sheet.bad) return NotAWorkbook(sheet_path);
    return std::move(sheet.rows);
}

}  // namespace storecrm
