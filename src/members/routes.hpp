#pragma once

#include "http/router.hpp"

namespace storecrm::members {

void RegisterMemberRoutes(http::Router& router);       // /members...
void RegisterTagRoutes(http::Router& router);          // /tags, /tag-groups
void RegisterCustomFieldRoutes(http::Router& router);  // /custom-fields

}  // namespace storecrm::members
