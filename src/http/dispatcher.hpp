#pragma once
// The request pipeline for API routes: route → transaction → authenticate → CSRF → forced
// password change → permission → handler → commit → deferred audit → response. Runs on a
// worker thread (it blocks on the database), never on an I/O thread.

#include "http/request.hpp"
#include "http/router.hpp"
#include "http/services.hpp"

namespace storecrm::http {

Response Dispatch(const Router& router, Services& services, Request& request);

}  // namespace storecrm::http
