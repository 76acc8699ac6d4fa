#pragma once
// The HTTP/1.1 server: event-driven (Boost.Asio + Beast) I/O threads that never block, and a
// worker pool that runs the database-bound API pipeline. Keep-alive, TCP_NODELAY, a request
// body limit. This header is Beast-free; only server.cpp includes Boost.

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "http/router.hpp"
#include "http/services.hpp"
#include "http/static_site.hpp"

namespace storecrm::http {

struct ServerOptions {
    std::string address = "0.0.0.0";
    unsigned short port = 8080;
    int io_threads = 1;       // one I/O thread saturates a core before the workers do
    // Threads for requests that only read (GET, HEAD): busy on the CPU, so about the cores;
    // more of them only switch contexts (measured: phone lookups 27k/s with 4, 15k/s with 16).
    int worker_threads = 4;
    // Threads for requests that write: they mostly wait for a shared SQLite commit (or a
    // PostgreSQL round trip), each holding its thread, so there are enough for groups to fill.
    int write_threads = 16;
    size_t body_limit = 1 << 20;  // 1 MiB: no member form comes near it
    size_t upload_limit = 50 << 20;  // POST /api/v1/imports: a spreadsheet of members or sales
    bool metrics_public = false;     // answer /metrics to any address, not only loopback
    bool hsts = false;               // served over HTTPS (by us or a proxy): tell browsers to stay there
    // PEM files; with both set the server speaks only HTTPS (TLS 1.2+) on its port.
    std::string tls_certificate;
    std::string tls_key;
    // Peers (e.g. nginx at 127.0.0.1) whose X-Forwarded-For names the real client. Only these
    // are believed: anyone else could forge the header to dodge the sign-in throttle.
    std::vector<std::string> trusted_proxies;
};

class Server {
public:
    Server(ServerOptions options, const Router& router, Services& services, const StaticSite& site);
    ~Server();
    // Binds and serves until Stop() or SIGINT/SIGTERM. Returns false if it could not bind.
    bool Run();
    void Stop();
    // The port actually bound (useful with port 0).
    unsigned short port() const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace storecrm::http
