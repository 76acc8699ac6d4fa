#pragma once
// Plain request/response values passed between the Beast server (server.cpp, the only file
// that includes Beast) and the handlers, so domain code compiles without Boost.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace storecrm::http {

struct Request {
    std::string method;  // "GET", "POST", ...
    std::string path;    // decoded path, no query
    std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
    std::map<std::string, std::string> headers;               // lower-case names
    std::string body;
    std::string remote_ip;
    std::map<std::string, std::string> path_params;  // filled by the router

    std::string_view Header(const std::string& lower_name) const;
    std::optional<std::string> QueryParam(std::string_view name) const;
    std::string Cookie(std::string_view name) const;
};

struct Response {
    int status = 200;
    std::string content_type = "application/json; charset=utf-8";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;

    static Response Json(int status, std::string body);
    static Response NoContent();
};

// Splits "a=1&b=%E5%BC%A0" into decoded pairs; '+' is a space. Invalid escapes stay literal.
std::vector<std::pair<std::string, std::string>> ParseQueryString(std::string_view query);
std::string UrlDecode(std::string_view text, bool plus_is_space);

}  // namespace storecrm::http
