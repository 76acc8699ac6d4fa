#pragma once
// Demo sales history for the demo chain: catalogue, tiers, coupon templates and `months` of
// sales (with coupons, points and refunds) for the demo members, through the real checkout.
// Deterministic (fixed seed) for the same members and day.

#include "security/crypto.hpp"
#include "storage/database.hpp"

namespace storecrm::app {

// Does nothing (and returns true) if the database already has products.
bool CreateDemoSales(storage::Database& db, security::FieldVault& vault, int months);

}  // namespace storecrm::app
