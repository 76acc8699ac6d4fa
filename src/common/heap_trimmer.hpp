#pragma once
// Gives the heap's freed pages back to the operating system now and then (glibc malloc_trim),
// for as long as the object lives. A server's big, short-lived buffers (an export, a report)
// leave free holes in the malloc arenas that stay resident otherwise; the soak saw resident
// memory swing by tens of MB with live memory flat.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace storecrm {

class HeapTrimmer {
public:
    explicit HeapTrimmer(std::chrono::seconds every);
    ~HeapTrimmer();
    HeapTrimmer(const HeapTrimmer&) = delete;
    HeapTrimmer& operator=(const HeapTrimmer&) = delete;

private:
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace storecrm
