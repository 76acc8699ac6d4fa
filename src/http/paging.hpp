#pragma once
// ?limit=&cursor= paging. The cursor is opaque to clients (base64url of the next offset), so
// the server may switch a list to keyset paging later without breaking callers.

#include <cstdint>
#include <string>

#include "common/error.hpp"
#include "http/request.hpp"

namespace storecrm::http {

struct Page {
    int64_t limit = 20;
    int64_t offset = 0;
    // The cursor for the page after this one, or "" when `total` says there is none.
    std::string NextCursor(int64_t total) const;
};

Result<Page> ReadPage(const Request& request, int64_t default_limit = 20, int64_t max_limit = 200);

}  // namespace storecrm::http
