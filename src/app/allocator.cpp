// jemalloc's settings, read by the allocator before main. A background thread purges freed pages
// on a timer, so the memory of a big export or report goes back to the system even when the
// server falls idle afterwards (jemalloc otherwise purges only while allocating).
#ifdef STORECRM_JEMALLOC
extern "C" {
// NOLINTNEXTLINE: the name and type are jemalloc's interface.
const char* malloc_conf = "background_thread:true";
}
#endif
