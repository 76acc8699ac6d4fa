#pragma once
// Files compiled into the binary by tools/embed_files.cpp: the built web app and the SQL
// migrations, so one binary carries everything it serves and every schema it needs.

#include <string_view>
#include <vector>

namespace storecrm::embedded {

struct EmbeddedFile {
    std::string_view path;  // "/index.html", "/sqlite/0001_foundation.sql"
    std::string_view data;
};

const std::vector<EmbeddedFile>& WebAssets();
const std::vector<EmbeddedFile>& Migrations();

}  // namespace storecrm::embedded
