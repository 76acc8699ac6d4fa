#pragma once
// The audience index (marketing) keeps members in memory and follows single changes through
// their ledgers and history; a change to many members at once (bulk tags, tag rules, the
// nightly value groups) bumps this epoch instead, and every instance reloads in full.

#include "common/error.hpp"
#include "storage/database.hpp"

namespace storecrm::members {

inline Status BumpAudienceEpoch(storage::Transaction& tx) {
    auto r = tx.Exec("UPDATE sequences SET value = value + 1 WHERE name = 'member_index.epoch'");
    return r.ok() ? Ok() : Status(r.take_error());
}

}  // namespace storecrm::members
