#pragma once
// Scan-to-join links 扫码入会: a store's (or a guide's personal) code, signed so a customer
// cannot bind themselves to another store or guide by editing the link.

#include <cstdint>
#include <optional>
#include <string>

#include "security/crypto.hpp"

namespace storecrm::portal {

struct JoinTarget {
    int64_t store_id = 0;
    std::optional<int64_t> guide_id;
};

std::string JoinToken(const security::FieldVault& vault, const JoinTarget& target);
std::optional<JoinTarget> ReadJoinToken(const security::FieldVault& vault, const std::string& token);

}  // namespace storecrm::portal
