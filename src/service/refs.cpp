#include "service/refs.hpp"

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/phone.hpp"
#include "security/crypto.hpp"
#include "service/business_hours.hpp"

namespace storecrm::service {

std::string MemberRefColumns(const std::string& a) {
    return a + ".id, " + a + ".member_no, " + a + ".name, " + a + ".phone_masked, " + a + ".phone_enc";
}

nlohmann::json MemberRef(const http::RequestContext& ctx, const storage::Row& r, int i) {
    if (r.IsNull(i)) return nullptr;
    std::string phone = r.Text(i + 3);
    if (ctx.principal.Has("members.pii") && !r.IsNull(i + 4)) {
        if (auto full = ctx.services.vault->Decrypt(r.BlobBytes(i + 4))) phone = DisplayPhone(*full);
    }
    return {{"id", r.Int(i)}, {"member_no", r.Text(i + 1)}, {"name", r.Text(i + 2)}, {"phone", phone}};
}

nlohmann::json StaffRef(const storage::Row& r, int id_column, int name_column) {
    if (r.IsNull(id_column)) return nullptr;
    return {{"id", r.Int(id_column)}, {"name", r.Text(name_column)}};
}

std::optional<int64_t> ParseDueTime(const std::string& text, const std::string& timezone) {
    if (auto t = ParseIsoDateTime(text)) return t;
    if (!ParseIsoDate(text)) return std::nullopt;
    auto start = LocalDateStart(text, timezone);
    if (!start) return std::nullopt;
    return LocalDayStart(*start, timezone, 1) - 1;  // the last second of that local day
}

Result<std::string> StoreTimezone(storage::Transaction& tx, int64_t store_id) {
    auto row = tx.QueryOne("SELECT timezone FROM stores WHERE id = ?", {store_id});
    if (!row.ok()) return row.take_error();
    if (!row->has_value()) return Error::NotFound();
    return (*row)->Text(0);
}

}  // namespace storecrm::service
