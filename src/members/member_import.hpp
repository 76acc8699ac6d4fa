#pragma once
// Members from a spreadsheet 会员导入: each row is registered as the staff form would register
// it (same checks, history, consents, audit), in the caller's transaction. The caller commits
// only when no row failed and it is not a dry run.

#include <vector>

#include "common/csv.hpp"
#include "common/import_rows.hpp"
#include "http/context.hpp"

namespace storecrm::members {

// `rows` includes the header. Problems with the file as a whole (no phone column) are a field
// error on "file"; per-row problems go to `sink`.
Status ImportMemberRows(http::RequestContext& ctx, const std::vector<CsvRow>& rows, ImportSink& sink);

// The header and one example row of the members template.
std::vector<CsvRow> MemberImportTemplate();

}  // namespace storecrm::members
