#include "http/body_reader.hpp"

#include <nlohmann/json.hpp>

namespace storecrm::http {
namespace {

size_t CountCodePoints(const std::string& s) {
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

}  // namespace

std::string CheckText(const std::string& value, const TextRule& rule, size_t* chars_out) {
    size_t chars = CountCodePoints(value);
    if (chars_out) *chars_out = chars;
    if (rule.raw) return {};
    for (unsigned char c : value) {
        if (c < 0x20 || c == 0x7f) {
            if (rule.multiline && (c == '\n' || c == '\r' || c == '\t')) continue;
            return "field.control_characters";
        }
        // Markup and SQL quoting characters have no place in a customer record; refusing them
        // at the door keeps every later export, template and report safe by construction.
        if (c == '<' || c == '>' || c == '"' || c == '\'' || c == ';' || c == '\\' || c == '`') {
            return "field.forbidden_characters";
        }
    }
    return {};
}

Result<BodyReader> BodyReader::Parse(const Request& request) {
    if (request.body.empty()) return BodyReader(nlohmann::json::object());
    nlohmann::json body;
    try {
        body = nlohmann::json::parse(request.body);
    } catch (const nlohmann::json::exception& e) {
        Error error;
        const std::string what = e.what();
        bool utf8 = what.find("UTF-8") != std::string::npos || what.find("utf-8") != std::string::npos;
        error.code = ErrorCode::kInvalidJson;
        error.message = {utf8 ? "error.invalid_utf8" : "error.invalid_json", {}};
        error.fields.push_back({"body", {utf8 ? "error.invalid_utf8" : "error.invalid_json", {}}});
        error.internal_detail = what;
        return error;
    }
    if (!body.is_object()) {
        Error error;
        error.code = ErrorCode::kInvalidJson;
        error.message = {"error.invalid_json", {}};
        error.fields.push_back({"body", {"field.must_be_object", {}}});
        return error;
    }
    return BodyReader(std::move(body));
}

BodyReader::BodyReader(nlohmann::json body) : body_(std::make_unique<nlohmann::json>(std::move(body))) {}
BodyReader::~BodyReader() = default;
BodyReader::BodyReader(BodyReader&&) noexcept = default;
BodyReader& BodyReader::operator=(BodyReader&&) noexcept = default;

bool BodyReader::Has(const std::string& field) const { return body_->contains(field); }

bool BodyReader::IsNull(const std::string& field) const {
    auto it = body_->find(field);
    return it != body_->end() && it->is_null();
}

void BodyReader::AddError(const std::string& field, const std::string& key,
                          std::vector<std::pair<std::string, std::string>> args) {
    for (const auto& e : errors_) {
        if (e.field == field) return;  // one message per field: the first problem found
    }
    errors_.push_back({field, {key, std::move(args)}});
}

void BodyReader::Accept(const std::string& field) { known_.insert(field); }

const nlohmann::json* BodyReader::Raw(const std::string& field) {
    known_.insert(field);
    auto it = body_->find(field);
    return it == body_->end() ? nullptr : &*it;
}

std::optional<std::string> BodyReader::Text(const std::string& field, TextRule rule) {
    const auto* v = Raw(field);
    if (!v || v->is_null()) {
        if (rule.required) AddError(field, "field.required");
        return std::nullopt;
    }
    if (!v->is_string()) {
        AddError(field, "field.must_be_string");
        return std::nullopt;
    }
    std::string value = v->get<std::string>();
    // Surrounding whitespace is never meaningful in a form field.
    size_t start = value.find_first_not_of(" \t\r\n");
    size_t end = value.find_last_not_of(" \t\r\n");
    if (!rule.raw) value = start == std::string::npos ? "" : value.substr(start, end - start + 1);
    if (rule.required && value.empty()) {
        AddError(field, "field.required");
        return std::nullopt;
    }
    size_t chars = 0;
    if (auto key = CheckText(value, rule, &chars); !key.empty()) {
        AddError(field, key);
        return std::nullopt;
    }
    if (chars > rule.max_chars) {
        AddError(field, "field.too_long", {{"max", std::to_string(rule.max_chars)}});
        return std::nullopt;
    }
    if (chars < rule.min_chars) {
        AddError(field, "field.too_short", {{"min", std::to_string(rule.min_chars)}});
        return std::nullopt;
    }
    return value;
}

std::optional<int64_t> BodyReader::Int(const std::string& field, bool required, int64_t min, int64_t max) {
    const auto* v = Raw(field);
    if (!v || v->is_null()) {
        if (required) AddError(field, "field.required");
        return std::nullopt;
    }
    if (!v->is_number_integer()) {
        AddError(field, "field.must_be_integer");
        return std::nullopt;
    }
    int64_t value = v->is_number_unsigned() && v->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)
                        ? INT64_MAX
                        : v->get<int64_t>();
    if (value < min || value > max) {
        AddError(field, "field.out_of_range", {{"min", std::to_string(min)}, {"max", std::to_string(max)}});
        return std::nullopt;
    }
    return value;
}

std::optional<bool> BodyReader::Bool(const std::string& field, bool required) {
    const auto* v = Raw(field);
    if (!v || v->is_null()) {
        if (required) AddError(field, "field.required");
        return std::nullopt;
    }
    if (!v->is_boolean()) {
        AddError(field, "field.must_be_boolean");
        return std::nullopt;
    }
    return v->get<bool>();
}

std::optional<std::string> BodyReader::Choice(const std::string& field, std::initializer_list<const char*> choices,
                                              bool required) {
    const auto* v = Raw(field);
    if (!v || v->is_null()) {
        if (required) AddError(field, "field.required");
        return std::nullopt;
    }
    std::string list;
    for (const char* c : choices) list += (list.empty() ? "" : ", ") + std::string(c);
    if (!v->is_string()) {
        AddError(field, "field.invalid_choice", {{"choices", list}});
        return std::nullopt;
    }
    std::string value = v->get<std::string>();
    for (const char* c : choices) {
        if (value == c) return value;
    }
    AddError(field, "field.invalid_choice", {{"choices", list}});
    return std::nullopt;
}

std::optional<std::vector<int64_t>> BodyReader::IntList(const std::string& field, bool required) {
    const auto* v = Raw(field);
    if (!v || v->is_null()) {
        if (required) AddError(field, "field.required");
        return std::nullopt;
    }
    if (!v->is_array() || v->size() > 10000) {
        AddError(field, "field.must_be_array");
        return std::nullopt;
    }
    std::vector<int64_t> out;
    for (const auto& item : *v) {
        if (!item.is_number_integer() || item.get<int64_t>() <= 0) {
            AddError(field, "field.must_be_integer");
            return std::nullopt;
        }
        out.push_back(item.get<int64_t>());
    }
    return out;
}

std::optional<std::vector<std::string>> BodyReader::TextList(const std::string& field, bool required,
                                                             size_t max_items, size_t max_chars) {
    const auto* v = Raw(field);
    if (!v || v->is_null()) {
        if (required) AddError(field, "field.required");
        return std::nullopt;
    }
    if (!v->is_array() || v->size() > max_items) {
        AddError(field, "field.must_be_array");
        return std::nullopt;
    }
    std::vector<std::string> out;
    for (const auto& item : *v) {
        if (!item.is_string()) {
            AddError(field, "field.must_be_string");
            return std::nullopt;
        }
        std::string s = item.get<std::string>();
        size_t chars = 0;
        if (auto key = CheckText(s, TextRule{}, &chars); !key.empty()) {
            AddError(field, key);
            return std::nullopt;
        }
        if (chars > max_chars) {
            AddError(field, "field.too_long", {{"max", std::to_string(max_chars)}});
            return std::nullopt;
        }
        out.push_back(std::move(s));
    }
    return out;
}

bool BodyReader::EachObject(const std::string& field, size_t max_items,
                            const std::function<void(BodyReader& item, size_t index)>& read) {
    const nlohmann::json* list = Raw(field);
    if (!list || list->is_null()) return false;
    if (!list->is_array()) {
        AddError(field, "field.must_be_array");
        return true;
    }
    if (list->size() > max_items) {
        AddError(field, "field.out_of_range", {{"min", "0"}, {"max", std::to_string(max_items)}});
        return true;
    }
    for (size_t i = 0; i < list->size(); ++i) {
        const std::string prefix = field + "[" + std::to_string(i) + "]";
        if (!(*list)[i].is_object()) {
            AddError(prefix, "field.must_be_object");
            continue;
        }
        BodyReader item((*list)[i]);
        read(item, i);
        for (const auto& [key, value] : item.body_->items()) {
            if (!item.known_.count(key)) item.AddError(key, "field.unknown");
        }
        for (const auto& e : item.errors_) AddError(prefix + "." + e.field, e.message.key, e.message.args);
    }
    return true;
}

Status BodyReader::Finish() {
    for (const auto& [key, value] : body_->items()) {
        if (!known_.count(key)) AddError(key, "field.unknown");
    }
    if (errors_.empty()) return Ok();
    return Error::Validation(errors_);
}

}  // namespace storecrm::http
