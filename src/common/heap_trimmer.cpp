#include "common/heap_trimmer.hpp"

#include <malloc.h>

namespace storecrm {

HeapTrimmer::HeapTrimmer(std::chrono::seconds every)
    : thread_([this, every] {
          std::unique_lock lock(mutex_);
          // A trim walks the arenas' free lists under their locks: milliseconds, once a minute.
          while (!wake_.wait_for(lock, every, [this] { return stopping_; })) malloc_trim(0);
      }) {}

HeapTrimmer::~HeapTrimmer() {
    {
        std::lock_guard lock(mutex_);
        stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

}  // namespace storecrm
