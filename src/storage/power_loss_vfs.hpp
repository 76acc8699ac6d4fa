#pragma once
// A test-only SQLite VFS that simulates losing power, which kill -9 cannot: the operating
// system's cache of writes not yet synced is lost. The shim passes every call to the real VFS
// and remembers, per file, the content as of the last xSync and the writes since. After a
// chosen number of writes and syncs it "loses power": each file is rewritten as it was at its
// last sync plus a random choice of the later writes — kept, dropped, or torn at a 512-byte
// sector — and the process exits at once (status 137, as after SIGKILL).
//
// Only `serve --test-power-loss-after N` installs it (tests/reliability/power_loss.test.mjs).

#include <cstdint>

namespace storecrm::storage {

// Makes the shim the default VFS; power is lost at the `after`-th write or sync from now.
void InstallPowerLossVfs(int64_t after, uint64_t seed);

}  // namespace storecrm::storage
