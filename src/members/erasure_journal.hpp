#pragma once
// The erasure journal: every member anonymisation is appended (and synced) to a file outside
// the database before the change commits, so restoring a backup taken earlier cannot bring an
// erased member back — the journal is replayed at each start and after each restore.

#include <cstdint>
#include <string>
#include <vector>

#include "common/error.hpp"

namespace storecrm::members {

// Set once at start by `serve` and `restore`; empty (tools, unit tests) records nothing.
void SetErasureJournal(std::string path);
const std::string& ErasureJournalPath();

// Appends {"member_id":…,"at":…} as one line and fsyncs it.
Status RecordErasure(int64_t member_id, int64_t at);

// Every member id in the journal, in order; a torn last line (a crash mid-write) is skipped.
Result<std::vector<int64_t>> ReadErasures(const std::string& path);

}  // namespace storecrm::members
