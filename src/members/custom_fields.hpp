#pragma once
// Custom member fields (自定义字段) that the admin defines per business: text, number, date,
// single or multiple choice (size, colour, baby age ...). Values live in members.custom_fields
// as a JSON object keyed by the field's key.

#include <string>

#include <nlohmann/json_fwd.hpp>

#include "common/error.hpp"
#include "storage/database.hpp"

namespace storecrm::members {

// Checks `input` (an object of key → value; null removes a value) against the active
// definitions and returns the merged JSON text of `current` with `input` applied. Errors are
// field errors named "custom_fields.<key>". `creating` enforces required fields.
Result<std::string> ValidateCustomFields(storage::Transaction& tx, const nlohmann::json& input,
                                         const std::string& current, bool creating);

}  // namespace storecrm::members
