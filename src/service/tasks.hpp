#pragma once
// Follow-up tasks 跟进任务: created by hand, from an interaction's next step, by reminders,
// complaints and campaigns; worked by the assignee, escalated to the store manager when late.

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

#include "common/error.hpp"
#include "common/messages.hpp"
#include "http/context.hpp"
#include "storage/database.hpp"

namespace storecrm::service {

struct NewTask {
    int64_t store_id = 0;
    std::optional<int64_t> member_id;
    std::optional<int64_t> assignee_id;
    std::string title;
    // A title the server writes: kept as a message key and rendered in each reader's language
    // (`title` is then set to its zh-CN rendering by CreateTask).
    std::optional<Message> title_message;
    std::string details;
    int64_t due_at = 0;
    std::string priority = "normal";
    std::string origin = "manual";
    std::string origin_ref;
    std::optional<int64_t> created_by;
};

Result<int64_t> CreateTask(storage::Transaction& tx, const NewTask& task, int64_t now);

// A task's title for a reader: one the server wrote (title_key set, args a JSON object) in
// their language, one staff typed as it is.
std::string TaskTitle(const std::string& stored_title, const std::string& title_key, const std::string& title_args,
                      Locale locale);

// SELECT … FROM tasks t (+ joins) for TaskJson; append WHERE/ORDER.
extern const char* const kTaskSelect;
nlohmann::json TaskJson(const http::RequestContext& ctx, const storage::Row& row, int64_t now);
// The task if the caller may see it (its store in scope; without tasks.manage, also assigned
// to them or to nobody); otherwise not_found.
Result<nlohmann::json> LoadVisibleTask(http::RequestContext& ctx, int64_t id);
// " AND …" limiting tasks `t` to what the caller may see.
std::string TaskScopeClause(const http::RequestContext& ctx, storage::Params& params);

// Closes a task as done or skipped with an outcome (the caller's own or, with tasks.manage,
// anyone's in scope). `expected_version` 0 skips the version check.
Status CompleteTask(http::RequestContext& ctx, int64_t id, const std::string& status, const std::string& outcome,
                    int64_t expected_version);

// The staff member who manages a store: an active store manager whose scope holds it.
Result<std::optional<int64_t>> StoreManagerOf(storage::Transaction& tx, int64_t store_id, const std::string& role_code);

}  // namespace storecrm::service
