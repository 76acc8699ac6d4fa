#pragma once
// Strict reading of JSON request bodies: the body must be an object, every field is checked
// for type and rule, unknown fields are errors, and all problems are reported at once as
// field errors (keys into the message catalog).

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "common/error.hpp"
#include "http/request.hpp"

namespace storecrm::http {

struct TextRule {
    bool required = false;
    size_t max_chars = 100;
    size_t min_chars = 0;
    bool multiline = false;  // notes: newlines and tabs allowed
    bool raw = false;        // passwords: no character restrictions beyond UTF-8
};

class BodyReader {
public:
    // Parses the request body; an empty body reads as {}.
    static Result<BodyReader> Parse(const Request& request);
    explicit BodyReader(nlohmann::json body);
    ~BodyReader();
    BodyReader(BodyReader&&) noexcept;
    BodyReader& operator=(BodyReader&&) noexcept;

    bool Has(const std::string& field) const;    // present (even if null)
    bool IsNull(const std::string& field) const;  // present and null

    // Each returns nullopt when the field is absent, null, or invalid (then an error is noted).
    std::optional<std::string> Text(const std::string& field, TextRule rule = {});
    std::optional<int64_t> Int(const std::string& field, bool required = false, int64_t min = INT64_MIN,
                               int64_t max = INT64_MAX);
    std::optional<bool> Bool(const std::string& field, bool required = false);
    std::optional<std::string> Choice(const std::string& field, std::initializer_list<const char*> choices,
                                      bool required = false);
    std::optional<std::vector<int64_t>> IntList(const std::string& field, bool required = false);
    std::optional<std::vector<std::string>> TextList(const std::string& field, bool required = false,
                                                     size_t max_items = 200, size_t max_chars = 100);
    // Reads a list of objects, each through its own reader; their errors are reported here as
    // "<field>[i].<name>". Returns false when the field is absent or null (nothing was read).
    bool EachObject(const std::string& field, size_t max_items,
                    const std::function<void(BodyReader& item, size_t index)>& read);
    // The raw JSON value (marks the field as known); nullptr when absent.
    const nlohmann::json* Raw(const std::string& field);
    // Marks a field as understood without reading it.
    void Accept(const std::string& field);

    void AddError(const std::string& field, const std::string& key,
                  std::vector<std::pair<std::string, std::string>> args = {});
    bool HasErrors() const { return !errors_.empty(); }
    // Reports unknown fields and every error noted so far.
    Status Finish();

private:
    std::unique_ptr<nlohmann::json> body_;
    std::set<std::string> known_;
    std::vector<FieldError> errors_;
};

// Checks a single-line or multi-line text value against the shared text rules; returns the
// message key of the first broken rule, or an empty string.
std::string CheckText(const std::string& value, const TextRule& rule, size_t* chars_out = nullptr);

}  // namespace storecrm::http
