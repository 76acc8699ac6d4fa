#include "http/router.hpp"

#include <nlohmann/json.hpp>

namespace storecrm::http {
namespace {

std::vector<std::string> SplitPath(const std::string& path) {
    std::vector<std::string> parts;
    size_t start = 1;
    while (start <= path.size()) {
        size_t end = path.find('/', start);
        if (end == std::string::npos) end = path.size();
        parts.push_back(path.substr(start, end - start));
        start = end + 1;
    }
    return parts;
}

}  // namespace

void Router::Add(Route route) {
    segments_.push_back(SplitPath(route.pattern));
    routes_.push_back(std::move(route));
}

Router::Match Router::Find(const std::string& method, const std::string& path) const {
    Match match;
    const auto parts = SplitPath(path);
    for (size_t i = 0; i < routes_.size(); ++i) {
        const auto& pattern = segments_[i];
        if (pattern.size() != parts.size()) continue;
        std::map<std::string, std::string> params;
        bool ok = true;
        for (size_t s = 0; s < parts.size() && ok; ++s) {
            const auto& seg = pattern[s];
            if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
                if (parts[s].empty()) ok = false;
                else params[seg.substr(1, seg.size() - 2)] = parts[s];
            } else if (seg != parts[s]) {
                ok = false;
            }
        }
        if (!ok) continue;
        if (routes_[i].method != method && !(method == "HEAD" && routes_[i].method == "GET")) {
            match.path_matched = true;
            continue;
        }
        // A literal segment beats a parameter ("/members/duplicates" vs "/members/{id}"):
        // keep looking for an exact match if this one used parameters.
        if (match.route && params.size() >= match.params.size()) continue;
        match.route = &routes_[i];
        match.params = std::move(params);
        if (match.params.empty()) break;
    }
    return match;
}

std::string Router::OpenApiJson() const {
    using nlohmann::json;
    json paths = json::object();
    for (const auto& route : routes_) {
        if (route.pattern.rfind("/api/", 0) != 0 && route.pattern != "/healthz") continue;
        std::string method = route.method;
        for (auto& c : method) c = static_cast<char>(std::tolower(c));
        json op = {{"summary", route.summary}, {"tags", json::array({route.tag})}, {"operationId", method + route.pattern}};
        json parameters = json::array();
        for (const auto& seg : SplitPath(route.pattern)) {
            if (seg.size() > 2 && seg.front() == '{') {
                parameters.push_back({{"name", seg.substr(1, seg.size() - 2)},
                                      {"in", "path"},
                                      {"required", true},
                                      {"schema", {{"type", "string"}}}});
            }
        }
        if (!parameters.empty()) op["parameters"] = parameters;
        if (route.permission == kPublic) {
            op["security"] = json::array();
        } else {
            op["x-permission"] = route.permission.empty() ? "signed-in" : route.permission;
        }
        if (!route.request_schema.empty()) {
            op["requestBody"] = {{"required", true},
                                 {"content", {{"application/json", {{"schema", json::parse(route.request_schema)}}}}}};
        }
        op["responses"] = {
            {"200", {{"description", "OK"}}},
            {"default", {{"description", "Error"}, {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}}}};
        paths[route.pattern][method] = op;
    }
    json field_error = {{"type", "object"},
                        {"properties", {{"field", {{"type", "string"}}}, {"message", {{"type", "string"}}}}}};
    json error_body = {{"type", "object"},
                       {"properties",
                        {{"code", {{"type", "string"}}},
                         {"message", {{"type", "string"}}},
                         {"fields", {{"type", "array"}, {"items", field_error}}}}}};
    json error_schema = {{"type", "object"}, {"properties", {{"error", error_body}}}};
    json security_schemes = {
        {"cookie", {{"type", "apiKey"}, {"in", "cookie"}, {"name", "storecrm_session"}}},
        {"bearer", {{"type", "http"}, {"scheme", "bearer"}}}};
    json doc = {{"openapi", "3.0.3"},
                {"info", {{"title", "storecrm API"}, {"version", "1.0.0"}}},
                {"paths", paths}};
    doc["components"]["securitySchemes"] = security_schemes;
    doc["components"]["schemas"]["Error"] = error_schema;
    doc["security"] = json::array({json{{"cookie", json::array()}}, json{{"bearer", json::array()}}});
    return doc.dump(2);
}

}  // namespace storecrm::http
