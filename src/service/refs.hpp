#pragma once
// The short forms of people that service records point at: {id, name} for staff and
// {id, member_no, name, phone} for members, with the phone masked unless the caller holds
// members.pii. Queries select the columns named here so every list shows people alike.

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "http/context.hpp"
#include "storage/database.hpp"

namespace storecrm::service {

// Four columns: id, member_no, name, phone_masked (+ phone_enc) of members aliased `alias`.
std::string MemberRefColumns(const std::string& alias);
inline constexpr int kMemberRefWidth = 5;
// null when the member id column is NULL.
nlohmann::json MemberRef(const http::RequestContext& ctx, const storage::Row& row, int first);
nlohmann::json StaffRef(const storage::Row& row, int id_column, int name_column);

// A full ISO UTC time, or "YYYY-MM-DD" meaning the last second of that day in `timezone`.
std::optional<int64_t> ParseDueTime(const std::string& text, const std::string& timezone);
Result<std::string> StoreTimezone(storage::Transaction& tx, int64_t store_id);

}  // namespace storecrm::service
