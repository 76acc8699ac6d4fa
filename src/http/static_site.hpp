#pragma once
// Serves the web app: from the files compiled into the binary, or from a directory while
// developing (--web-root). Unknown paths outside /api answer index.html (history routing).

#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "http/request.hpp"

namespace storecrm::http {

class StaticSite {
public:
    // Empty web_root: the embedded files.
    explicit StaticSite(std::string web_root);
    std::optional<Response> Serve(const std::string& path) const;
    bool empty() const;

private:
    std::string web_root_;
    std::unordered_map<std::string_view, std::string_view> embedded_;
};

std::string ContentTypeFor(std::string_view path);

}  // namespace storecrm::http
