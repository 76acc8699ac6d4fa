#pragma once
// File imports 批量导入 (members, products, sales) run in the background: the upload is
// read into rows at once (CSV in UTF-8 or GBK, or the first sheet of an .xlsx), an `imports`
// row records it, and one worker thread checks and writes it in a single transaction — rolled
// back when any row fails or for a dry run, so an import is all or nothing. Progress is kept
// in memory for GET /imports/{id} while it runs.

#include "http/router.hpp"

namespace storecrm::ops {

void RegisterImportRoutes(http::Router& router);

// At start: imports left queued or running by a stopped server are marked failed.
Status FailInterruptedImports(storage::Database& db);

// Waits for the import worker to finish its current file (at shutdown).
void StopImports();

}  // namespace storecrm::ops
