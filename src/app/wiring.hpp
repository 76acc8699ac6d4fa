#pragma once
// The only place that knows every module: builds the route table and opens the database.

#include <memory>
#include <string>

#include "http/router.hpp"
#include "ops/ops.hpp"
#include "storage/database.hpp"

namespace storecrm::app {

http::Router BuildRouter(const ops::OpsConfig& ops_config);

// Opens and migrates the database at `url`; prints progress to stderr on failure.
std::unique_ptr<storage::Database> OpenMigrated(const std::string& url, int pool_size);

// Where the field-encryption key lives when not given: beside the SQLite file.
std::string DefaultKeyFile(const std::string& db_url);

}  // namespace storecrm::app
