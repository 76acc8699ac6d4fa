#include "storage/power_loss_vfs.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <vector>

namespace storecrm::storage {
namespace {

struct Pending {
    bool truncate = false;
    int64_t offset = 0;  // or the new size for a truncate
    std::string data;
};

struct TrackedFile {
    std::string durable;  // the content as of the last sync
    std::vector<Pending> pending;
};

std::mutex state_mutex;
std::map<std::string, TrackedFile> tracked;
std::atomic<int64_t> countdown{0};
std::mt19937_64 rng;
sqlite3_vfs* real_vfs = nullptr;
sqlite3_vfs shim_vfs;

struct ShimFile {
    sqlite3_file base;
    sqlite3_file* real;
    std::string path;  // empty for files SQLite made without a name (temp files)
};

void Apply(std::string& image, const Pending& p, size_t keep_bytes) {
    if (p.truncate) {
        image.resize(static_cast<size_t>(p.offset));
        return;
    }
    const size_t end = static_cast<size_t>(p.offset) + keep_bytes;
    if (image.size() < end) image.resize(end, '\0');
    std::memcpy(image.data() + p.offset, p.data.data(), keep_bytes);
}

// The moment power goes: every file as the disk would hold it, then gone.
[[noreturn]] void LosePower() {
    for (auto& [path, file] : tracked) {
        std::string image = file.durable;
        for (const auto& p : file.pending) {
            const int choice = static_cast<int>(rng() % 3);
            if (choice == 0) continue;  // never reached the disk
            size_t keep = p.data.size();
            if (choice == 2 && !p.truncate && p.data.size() > 512) {
                keep = 512 * (1 + rng() % (p.data.size() / 512));  // torn: the first sectors only
                if (keep > p.data.size()) keep = p.data.size();
            }
            Apply(image, p, keep);
        }
        std::ofstream out(path, std::ios::binary | std::ios::trunc);
        out.write(image.data(), static_cast<std::streamsize>(image.size()));
    }
    _exit(137);
}

// Counts a write or sync (the caller holds state_mutex); at zero, power is lost before it.
void Tick() {
    if (countdown.load() > 0 && countdown.fetch_sub(1) == 1) LosePower();
}

TrackedFile* Track(ShimFile* f) {
    if (f->path.empty()) return nullptr;
    auto it = tracked.find(f->path);
    if (it != tracked.end()) return &it->second;
    TrackedFile t;
    std::ifstream in(f->path, std::ios::binary);
    t.durable.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return &tracked.emplace(f->path, std::move(t)).first->second;
}

ShimFile* Shim(sqlite3_file* file) { return reinterpret_cast<ShimFile*>(file); }

int Close(sqlite3_file* file) {
    ShimFile* f = Shim(file);
    int rc = f->real->pMethods ? f->real->pMethods->xClose(f->real) : SQLITE_OK;
    sqlite3_free(f->real);
    f->path.~basic_string();
    return rc;
}
int Read(sqlite3_file* file, void* buffer, int amount, sqlite3_int64 offset) {
    return Shim(file)->real->pMethods->xRead(Shim(file)->real, buffer, amount, offset);
}
int Write(sqlite3_file* file, const void* buffer, int amount, sqlite3_int64 offset) {
    ShimFile* f = Shim(file);
    std::lock_guard lock(state_mutex);
    Tick();
    if (TrackedFile* t = Track(f)) t->pending.push_back({false, offset, std::string(static_cast<const char*>(buffer), amount)});
    return f->real->pMethods->xWrite(f->real, buffer, amount, offset);
}
int Truncate(sqlite3_file* file, sqlite3_int64 size) {
    ShimFile* f = Shim(file);
    std::lock_guard lock(state_mutex);
    if (TrackedFile* t = Track(f)) t->pending.push_back({true, size, {}});
    return f->real->pMethods->xTruncate(f->real, size);
}
int Sync(sqlite3_file* file, int flags) {
    ShimFile* f = Shim(file);
    std::lock_guard lock(state_mutex);
    Tick();
    const int rc = f->real->pMethods->xSync(f->real, flags);
    if (rc == SQLITE_OK) {
        if (TrackedFile* t = Track(f)) {
            for (const auto& p : t->pending) Apply(t->durable, p, p.data.size());
            t->pending.clear();
        }
    }
    return rc;
}
int FileSize(sqlite3_file* file, sqlite3_int64* size) { return Shim(file)->real->pMethods->xFileSize(Shim(file)->real, size); }
int Lock(sqlite3_file* file, int level) { return Shim(file)->real->pMethods->xLock(Shim(file)->real, level); }
int Unlock(sqlite3_file* file, int level) { return Shim(file)->real->pMethods->xUnlock(Shim(file)->real, level); }
int CheckReservedLock(sqlite3_file* file, int* out) {
    return Shim(file)->real->pMethods->xCheckReservedLock(Shim(file)->real, out);
}
int FileControl(sqlite3_file* file, int op, void* arg) {
    return Shim(file)->real->pMethods->xFileControl(Shim(file)->real, op, arg);
}
int SectorSize(sqlite3_file* file) { return Shim(file)->real->pMethods->xSectorSize(Shim(file)->real); }
int DeviceCharacteristics(sqlite3_file* file) {
    // Claim nothing (no atomic or safe-append writes): SQLite then syncs as on a plain disk.
    (void)file;
    return 0;
}
int ShmMap(sqlite3_file* file, int page, int size, int extend, void volatile** out) {
    return Shim(file)->real->pMethods->xShmMap(Shim(file)->real, page, size, extend, out);
}
int ShmLock(sqlite3_file* file, int offset, int n, int flags) {
    return Shim(file)->real->pMethods->xShmLock(Shim(file)->real, offset, n, flags);
}
void ShmBarrier(sqlite3_file* file) { Shim(file)->real->pMethods->xShmBarrier(Shim(file)->real); }
int ShmUnmap(sqlite3_file* file, int remove) { return Shim(file)->real->pMethods->xShmUnmap(Shim(file)->real, remove); }

// Version 2: no xFetch, so even mmap-configured readers go through xRead.
const sqlite3_io_methods kMethods = {2,        Close,      Read,     Write,       Truncate,   Sync,
                                     FileSize, Lock,       Unlock,   CheckReservedLock, FileControl,
                                     SectorSize, DeviceCharacteristics, ShmMap, ShmLock, ShmBarrier, ShmUnmap,
                                     nullptr,  nullptr};

int Open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
    ShimFile* f = Shim(file);
    f->base.pMethods = nullptr;
    f->real = static_cast<sqlite3_file*>(sqlite3_malloc(real_vfs->szOsFile));
    if (!f->real) return SQLITE_NOMEM;
    std::memset(f->real, 0, real_vfs->szOsFile);
    const int rc = real_vfs->xOpen(real_vfs, name, f->real, flags, out_flags);
    if (rc != SQLITE_OK) {
        sqlite3_free(f->real);
        return rc;
    }
    new (&f->path) std::string(name ? name : "");
    f->base.pMethods = &kMethods;
    return SQLITE_OK;
}

int Delete(sqlite3_vfs*, const char* name, int sync_dir) {
    {
        std::lock_guard lock(state_mutex);
        tracked.erase(name);
    }
    return real_vfs->xDelete(real_vfs, name, sync_dir);
}
int Access(sqlite3_vfs*, const char* name, int flags, int* out) { return real_vfs->xAccess(real_vfs, name, flags, out); }
int FullPathname(sqlite3_vfs*, const char* name, int n, char* out) { return real_vfs->xFullPathname(real_vfs, name, n, out); }
void* DlOpen(sqlite3_vfs*, const char* name) { return real_vfs->xDlOpen(real_vfs, name); }
void DlError(sqlite3_vfs*, int n, char* out) { real_vfs->xDlError(real_vfs, n, out); }
void (*DlSym(sqlite3_vfs*, void* handle, const char* symbol))(void) { return real_vfs->xDlSym(real_vfs, handle, symbol); }
void DlClose(sqlite3_vfs*, void* handle) { real_vfs->xDlClose(real_vfs, handle); }
int Randomness(sqlite3_vfs*, int n, char* out) { return real_vfs->xRandomness(real_vfs, n, out); }
int Sleep(sqlite3_vfs*, int micros) { return real_vfs->xSleep(real_vfs, micros); }
int CurrentTime(sqlite3_vfs*, double* out) { return real_vfs->xCurrentTime(real_vfs, out); }
int GetLastError(sqlite3_vfs*, int n, char* out) { return real_vfs->xGetLastError(real_vfs, n, out); }
int CurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* out) { return real_vfs->xCurrentTimeInt64(real_vfs, out); }

}  // namespace

void InstallPowerLossVfs(int64_t after, uint64_t seed) {
    real_vfs = sqlite3_vfs_find(nullptr);
    rng.seed(seed);
    countdown.store(after);
    shim_vfs = {};
    shim_vfs.iVersion = 2;
    shim_vfs.szOsFile = sizeof(ShimFile);
    shim_vfs.mxPathname = real_vfs->mxPathname;
    shim_vfs.zName = "power_loss";
    shim_vfs.xOpen = Open;
    shim_vfs.xDelete = Delete;
    shim_vfs.xAccess = Access;
    shim_vfs.xFullPathname = FullPathname;
    shim_vfs.xDlOpen = DlOpen;
    shim_vfs.xDlError = DlError;
    shim_vfs.xDlSym = DlSym;
    shim_vfs.xDlClose = DlClose;
    shim_vfs.xRandomness = Randomness;
    shim_vfs.xSleep = Sleep;
    shim_vfs.xCurrentTime = CurrentTime;
    shim_vfs.xGetLastError = GetLastError;
    shim_vfs.xCurrentTimeInt64 = CurrentTimeInt64;
    sqlite3_vfs_register(&shim_vfs, 1);
}

}  // namespace storecrm::storage
