// The member search box and list filters: "key=value" lines become query parameters, run
// through the parser that turns them into SQL with bound parameters.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "members/member_search.hpp"
#include "security/crypto.hpp"
#include "security/principal.hpp"

using namespace storecrm;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const security::FieldVault vault(std::array<unsigned char, 32>{7});
    std::string input(reinterpret_cast<const char*>(data), size);
    std::map<std::string, std::string> params;
    members::CustomFilters custom;
    size_t start = 0;
    while (start <= input.size()) {
        size_t end = input.find('\n', start);
        if (end == std::string::npos) end = input.size();
        const std::string line = input.substr(start, end - start);
        const size_t eq = line.find('=');
        if (eq != std::string::npos) {
            const std::string key = line.substr(0, eq);
            if (key.rfind("cf.", 0) == 0) custom.emplace_back(key.substr(3), line.substr(eq + 1));
            else params[key] = line.substr(eq + 1);
        }
        start = end + 1;
    }
    security::Principal principal;
    principal.kind = security::Principal::Kind::kStaff;
    principal.id = 1;
    principal.store_ids = {1, 2};
    auto get = [&](const std::string& name) -> std::optional<std::string> {
        auto it = params.find(name);
        if (it == params.end()) return std::nullopt;
        return it->second;
    };
    for (auto dialect : {storage::Dialect::kSqlite, storage::Dialect::kPostgres}) {
        (void)members::BuildMemberQuery(get, custom, principal, vault, dialect);
    }
    return 0;
}
