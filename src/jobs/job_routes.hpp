#pragma once

#include "http/router.hpp"

namespace storecrm::jobs {

void RegisterJobRoutes(http::Router& router);  // /jobs, /jobs/{name}/run, /test/clock

}  // namespace storecrm::jobs
