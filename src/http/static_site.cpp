#include "http/static_site.hpp"

#include <filesystem>
#include <fstream>

#include "common/embedded_files.hpp"

namespace storecrm::http {

std::string ContentTypeFor(std::string_view path) {
    auto ends = [&](std::string_view ext) {
        return path.size() >= ext.size() && path.substr(path.size() - ext.size()) == ext;
    };
    if (ends(".html")) return "text/html; charset=utf-8";
    if (ends(".js") || ends(".mjs")) return "text/javascript; charset=utf-8";
    if (ends(".css")) return "text/css; charset=utf-8";
    if (ends(".svg")) return "image/svg+xml";
    if (ends(".png")) return "image/png";
    if (ends(".ico")) return "image/x-icon";
    if (ends(".json")) return "application/json";
    if (ends(".woff2")) return "font/woff2";
    if (ends(".woff")) return "font/woff";
    if (ends(".ttf")) return "font/ttf";
    return "application/octet-stream";
}

StaticSite::StaticSite(std::string web_root) : web_root_(std::move(web_root)) {
    for (const auto& file : embedded::WebAssets()) embedded_.emplace(file.path, file.data);
}

bool StaticSite::empty() const { return web_root_.empty() && embedded_.empty(); }

// Unknown paths are the apps' own routes: the member pages under /m/ are a small page of
// their own (a phone on a slow network loads no staff app), everything else the staff app.
namespace {
std::string AppPageFor(const std::string& path) { return path.rfind("/m/", 0) == 0 ? "/m/index.html" : "/index.html"; }
}  // namespace

std::optional<Response> StaticSite::Serve(const std::string& path) const {
    if (path.find("..") != std::string::npos) return std::nullopt;
    auto make = [](std::string_view file_path, std::string body) {
        Response r;
        r.content_type = ContentTypeFor(file_path);
        r.body = std::move(body);
        // Vite names assets by content hash, so they never change; index.html always may.
        if (file_path.find("/assets/") != std::string_view::npos) {
            r.headers.emplace_back("Cache-Control", "public, max-age=31536000, immutable");
        } else {
            r.headers.emplace_back("Cache-Control", "no-cache");
        }
        r.headers.emplace_back("X-Content-Type-Options", "nosniff");
        return r;
    };
    if (!web_root_.empty()) {
        namespace fs = std::filesystem;
        fs::path file = fs::path(web_root_) / path.substr(1);
        std::string served = path;
        if (path == "/" || !fs::is_regular_file(file)) {
            if (path.rfind("/assets/", 0) == 0) return std::nullopt;
            served = AppPageFor(path);
            file = fs::path(web_root_) / served.substr(1);
        }
        std::ifstream in(file, std::ios::binary);
        if (!in) return std::nullopt;
        return make(served, std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()));
    }
    auto it = embedded_.find(path);
    if (it == embedded_.end() || path == "/") {
        if (path.rfind("/assets/", 0) == 0) return std::nullopt;
        it = embedded_.find(AppPageFor(path));
        if (it == embedded_.end()) return std::nullopt;
    }
    return make(it->first, std::string(it->second));
}

}  // namespace storecrm::http
