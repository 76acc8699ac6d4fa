#include "members/custom_fields.hpp"

#include <nlohmann/json.hpp>

#include "common/phone.hpp"
#include "http/body_reader.hpp"

namespace storecrm::members {

using nlohmann::json;

Result<std::string> ValidateCustomFields(storage::Transaction& tx, const json& input, const std::string& current,
                                         bool creating) {
    std::vector<FieldError> errors;
    if (!input.is_object()) return Error::Field("custom_fields", "field.must_be_object");
    auto rows = tx.Query("SELECT key, type, options, required FROM custom_field_defs WHERE status = 'active'");
    if (!rows.ok()) return rows.take_error();
    json merged = json::parse(current, nullptr, false);
    if (!merged.is_object()) merged = json::object();
    std::map<std::string, const storage::Row*> defs;
    for (const auto& r : *rows) defs[r.Text(0)] = &r;
    for (const auto& [key, value] : input.items()) {
        const std::string field = "custom_fields." + key;
        auto def = defs.find(key);
        if (def == defs.end()) {
            errors.push_back({field, {"field.custom_field_unknown", {}}});
            continue;
        }
        if (value.is_null()) {
            merged.erase(key);
            continue;
        }
        const std::string type = def->second->Text(1);
        json options = json::parse(def->second->Text(2), nullptr, false);
        auto in_options = [&](const json& v) {
            if (!options.is_array()) return false;
            for (const auto& o : options) {
                if (o == v) return true;
            }
            return false;
        };
        std::string choices;
        if (options.is_array()) {
            for (const auto& o : options) choices += (choices.empty() ? "" : ", ") + (o.is_string() ? o.get<std::string>() : o.dump());
        }
        if (type == "text") {
            if (!value.is_string()) {
                errors.push_back({field, {"field.must_be_string", {}}});
                continue;
            }
            size_t chars = 0;
            auto key_error = http::CheckText(value.get<std::string>(), {}, &chars);
            if (!key_error.empty()) errors.push_back({field, {key_error, {}}});
            else if (chars > 200) errors.push_back({field, {"field.too_long", {{"max", "200"}}}});
        } else if (type == "number") {
            if (!value.is_number()) errors.push_back({field, {"field.must_be_number", {}}});
        } else if (type == "date") {
            if (!value.is_string() || !IsValidDate(value.get<std::string>())) {
                errors.push_back({field, {"field.invalid_date", {}}});
            }
        } else if (type == "single") {
            if (!in_options(value)) errors.push_back({field, {"field.invalid_choice", {{"choices", choices}}}});
        } else if (type == "multi") {
            bool ok = value.is_array();
            if (ok) {
                for (const auto& v : value) ok = ok && in_options(v);
            }
            if (!ok) errors.push_back({field, {"field.invalid_choice", {{"choices", choices}}}});
        }
        merged[key] = value;
    }
    if (creating) {
        for (const auto& [key, row] : defs) {
            if (row->Int(3) && (!merged.contains(key) || merged[key].is_null() || merged[key] == "")) {
                errors.push_back({"custom_fields." + key, {"field.required", {}}});
            }
        }
    }
    if (!errors.empty()) return Error::Validation(std::move(errors));
    return merged.dump();
}

}  // namespace storecrm::members
