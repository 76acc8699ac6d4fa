#include "http/server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <optional>
#include <type_traits>
#include <cctype>
#include <cstdio>
#include <random>
#include <thread>
#include <vector>

#include "common/messages.hpp"
#include "common/metrics.hpp"
#include "http/dispatcher.hpp"
#include "http/json_response.hpp"

namespace storecrm::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using TlsStream = beast::ssl_stream<beast::tcp_stream>;

namespace {

constexpr auto kIdleKeepAlive = std::chrono::seconds(75);

// The client address: the peer, or for a trusted proxy the right-most X-Forwarded-For entry
// (the one the proxy itself appended).
std::string ClientAddress(const std::string& peer, const Request& request, const std::vector<std::string>& trusted) {
    if (std::find(trusted.begin(), trusted.end(), peer) == trusted.end()) return peer;
    std::string_view forwarded = request.Header("x-forwarded-for");
    if (forwarded.empty()) return peer;
    size_t comma = forwarded.rfind(',');
    std::string_view last = comma == std::string_view::npos ? forwarded : forwarded.substr(comma + 1);
    while (!last.empty() && last.front() == ' ') last.remove_prefix(1);
    while (!last.empty() && last.back() == ' ') last.remove_suffix(1);
    return last.empty() || last.size() > 45 ? peer : std::string(last);
}

Request ToRequest(const bhttp::request<bhttp::string_body>& in, const std::string& remote_ip) {
    Request out;
    out.method = std::string(in.method_string());
    std::string_view target(in.target().data(), in.target().size());
    size_t q = target.find('?');
    out.path = UrlDecode(target.substr(0, q), false);
    if (q != std::string_view::npos) out.query = ParseQueryString(target.substr(q + 1));
    for (const auto& field : in) {
        std::string name(field.name_string());
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        out.headers[name] = std::string(field.value());
    }
    out.body = in.body();
    out.remote_ip = remote_ip;
    return out;
}

// Same-origin everything; inline style attributes are allowed because Element Plus positions
// popups with them. No inline script, no eval, no framing (clickjacking on the till).
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'";

// A caller's own request id is kept when it is a plausible one (a proxy's or a POS's trace id).
std::string RequestId(std::string_view given) {
    const bool usable = !given.empty() && given.size() <= 64 && std::all_of(given.begin(), given.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    });
    if (usable) return std::string(given);
    thread_local std::mt19937_64 random{std::random_device{}()};
    char id[17];
    std::snprintf(id, sizeof id, "%016llx", static_cast<unsigned long long>(random()));
    return id;
}

bool IsLoopback(const std::string& address) {
    return address.rfind("127.", 0) == 0 || address == "::1" || address.rfind("::ffff:127.", 0) == 0;
}

bhttp::response<bhttp::string_body> ToBeast(Response&& r, unsigned version, bool keep_alive, bool head,
                                            const std::string& request_id, bool hsts) {
    bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(r.status), version};
    out.set(bhttp::field::server, "storecrm");
    if (!r.content_type.empty()) out.set(bhttp::field::content_type, r.content_type);
    for (auto& [name, value] : r.headers) out.insert(name, value);
    out.set("X-Content-Type-Options", "nosniff");
    out.set("X-Frame-Options", "DENY");
    out.set("Referrer-Policy", "same-origin");
    out.set("Content-Security-Policy", kContentSecurityPolicy);
    out.set("Permissions-Policy", "camera=(self), microphone=(), geolocation=()");
    if (hsts) out.set("Strict-Transport-Security", "max-age=31536000");
    if (!request_id.empty()) out.set("X-Request-Id", request_id);
    if (r.content_type.rfind("application/json", 0) == 0) out.set(bhttp::field::cache_control, "no-store");
    out.keep_alive(keep_alive);
    size_t size = r.body.size();
    if (!head) out.body() = std::move(r.body);
    out.content_length(size);
    return out;
}

}  // namespace

struct Server::Impl {
    Impl(ServerOptions options, const Router& router, Services& services, const StaticSite& site)
        : options(std::move(options)), router(router), services(services), site(site),
          io(this->options.io_threads),
          workers(this->options.worker_threads),
          writers(this->options.write_threads),
          acceptor(io),
          health_timer(io),
          signals(io, SIGINT, SIGTERM) {}

    // One client connection over plain TCP (beast::tcp_stream) or TLS (TlsStream).
    template <class Stream>
    class Connection : public std::enable_shared_from_this<Connection<Stream>> {
        static constexpr bool kTls = std::is_same_v<Stream, TlsStream>;

    public:
        Connection(tcp::socket socket, Impl& server) : stream_(MakeStream(std::move(socket), server)), server_(server) {
            beast::error_code ec;
            auto endpoint = Socket().remote_endpoint(ec);
            if (!ec) remote_ip_ = endpoint.address().to_string();
        }

        void Start() {
            asio::dispatch(stream_.get_executor(), [self = this->shared_from_this()] {
                if constexpr (kTls) {
                    beast::get_lowest_layer(self->stream_).expires_after(std::chrono::seconds(30));
                    self->stream_.async_handshake(asio::ssl::stream_base::server, [self](beast::error_code ec) {
                        if (!ec) self->Read();  // a failed handshake (plain HTTP, bad client) just closes
                    });
                } else {
                    self->Read();
                }
            });
        }

    private:
        static Stream MakeStream(tcp::socket socket, Impl& server) {
            if constexpr (kTls) return Stream(std::move(socket), *server.tls);
            else return Stream(std::move(socket));
        }
        tcp::socket& Socket() { return beast::get_lowest_layer(stream_).socket(); }
        auto shared_from_this() { return std::enable_shared_from_this<Connection<Stream>>::shared_from_this(); }

        void Read() {
            parser_.emplace();
            parser_->body_limit(server_.options.body_limit);
            parser_->header_limit(16 * 1024);
            beast::get_lowest_layer(stream_).expires_after(kIdleKeepAlive);
            bhttp::async_read_header(stream_, buffer_, *parser_,
                                     [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHeader(ec); });
        }

        // File uploads may be larger than any form; the limit is chosen once the target is known.
        void OnHeader(beast::error_code ec) {
            if (ec) return OnRead(ec);
            const auto& message = parser_->get();
            std::string_view target(message.target().data(), message.target().size());
            if (message.method() == bhttp::verb::post && target.rfind("/api/v1/imports", 0) == 0) {
                parser_->body_limit(server_.options.upload_limit);
            }
            bhttp::async_read(stream_, buffer_, *parser_,
                              [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
        }

        void OnRead(beast::error_code ec) {
            if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::eof ||
                ec == asio::error::connection_reset) {
                return Close();
            }
            request_id_ = RequestId("");
            if (ec == bhttp::error::body_limit) {
                Locale locale = ParseLocale(std::string(parser_->get()[bhttp::field::accept_language]));
                const bool upload = std::string_view(parser_->get().target().data(), parser_->get().target().size())
                                        .rfind("/api/v1/imports", 0) == 0;
                const std::string max = std::to_string((upload ? server_.options.upload_limit : server_.options.body_limit) >> 20) + " MiB";
                Error e;
                e.code = ErrorCode::kPayloadTooLarge;
                e.message = {"error.payload_too_large", {{"max", max}}};
                e.fields.push_back({"body", {"error.payload_too_large", {{"max", max}}}});
                // The client may still be sending: closing with unread data would reset the
                // connection before it reads the answer, so drain the rest after replying.
                drain_after_reply_ = true;
                return Send(ErrorResponse(e, locale), 11, false, false);
            }
            if (ec) {
                Response bad = Response::Json(400, R"({"error":{"code":"bad_request","message":"Malformed HTTP request","fields":[]}})");
                return Send(std::move(bad), 11, false, false);
            }
            auto& message = parser_->get();
            const bool keep_alive = message.keep_alive();
            const unsigned version = message.version();
            const bool head = message.method() == bhttp::verb::head;
            Request request = ToRequest(message, remote_ip_);
            request.remote_ip = ClientAddress(remote_ip_, request, server_.options.trusted_proxies);
            request_id_ = RequestId(request.Header("x-request-id"));
            request.headers["x-request-id"] = request_id_;

            if (request.path == "/metrics" && request.method == "GET") {
                // Operators' numbers (route names, volumes): for the local scraper unless opened up.
                // The client behind a trusted proxy decides, or a proxy on this host would open it.
                if (!server_.options.metrics_public && !IsLoopback(request.remote_ip)) {
                    return Send(Response::Json(404, R"({"error":{"code":"not_found","message":"Not found","fields":[]}})"),
                                version, keep_alive, head);
                }
                asio::post(server_.workers, [self = shared_from_this(), version, keep_alive, head]() mutable {
                    Response r;
                    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
                    r.body = metrics::Render();
                    asio::post(self->stream_.get_executor(), [self, r = std::move(r), version, keep_alive, head]() mutable {
                        self->Send(std::move(r), version, keep_alive, head);
                    });
                });
                return;
            }

            if (request.path == "/healthz") {
                // Answered on the I/O thread: it measures bare HTTP cost, and the database
                // state comes from the periodic probe rather than a query per request.
                Response r = Response::Json(200, server_.database_ok.load() ? R"({"status":"ok","database":"ok"})"
                                                                            : R"({"status":"degraded","database":"unavailable"})");
                if (!server_.database_ok.load()) r.status = 503;
                return Send(std::move(r), version, keep_alive, head);
            }
            if (request.path.rfind("/api/", 0) == 0) {
                const bool reads_only = request.method == "GET" || request.method == "HEAD";
                asio::post(reads_only ? server_.workers : server_.writers,
                           [self = shared_from_this(), request = std::move(request), version, keep_alive,
                            head]() mutable {
                    Response response;
                    if (request.path == "/api/v1/openapi.json" && request.method == "GET") {
                        response = Response::Json(200, self->server_.openapi);
                    } else {
                        response = Dispatch(self->server_.router, self->server_.services, request);
                    }
                    asio::post(self->stream_.get_executor(),
                               [self, response = std::move(response), version, keep_alive, head]() mutable {
                                   self->Send(std::move(response), version, keep_alive, head);
                               });
                });
                return;
            }
            if (request.method != "GET" && request.method != "HEAD") {
                return Send(Response::Json(405, R"({"error":{"code":"method_not_allowed","message":"Method not allowed","fields":[]}})"),
                            version, keep_alive, head);
            }
            auto file = server_.site.Serve(request.path);
            if (!file) {
                return Send(Response::Json(404, R"({"error":{"code":"not_found","message":"Not found","fields":[]}})"),
                            version, keep_alive, head);
            }
            Send(std::move(*file), version, keep_alive, head);
        }

        void Send(Response&& response, unsigned version, bool keep_alive, bool head) {
            auto message = std::make_shared<bhttp::response<bhttp::string_body>>(
                ToBeast(std::move(response), version, keep_alive, head, request_id_, server_.options.hsts));
            beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(30));
            bhttp::async_write(stream_, *message,
                               [self = shared_from_this(), message](beast::error_code ec, size_t) {
                                   if (!ec && self->drain_after_reply_) return self->Drain();
                                   if (ec || !message->keep_alive()) return self->Close();
                                   self->Read();
                               });
        }

        // Half-closes, then reads and discards what the client still sends (bounded in bytes
        // and time) so the reply is not lost to a reset.
        void Drain() {
            if constexpr (kTls) return Close();  // TLS has no half-close to read on after
            beast::error_code ec;
            Socket().shutdown(tcp::socket::shutdown_send, ec);
            beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
            DrainMore();
        }

        void DrainMore() {
            stream_.async_read_some(asio::buffer(drain_buffer_),
                                    [self = shared_from_this()](beast::error_code ec, size_t n) {
                                        self->drained_ += n;
                                        if (ec || self->drained_ > (64u << 20)) return;
                                        self->DrainMore();
                                    });
        }

        void Close() {
            if constexpr (kTls) {
                beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
                stream_.async_shutdown([self = shared_from_this()](beast::error_code) {});
            } else {
                beast::error_code ec;
                Socket().shutdown(tcp::socket::shutdown_send, ec);
            }
        }

        Stream stream_;
        Impl& server_;
        beast::flat_buffer buffer_;
        std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
        std::string remote_ip_;
        std::string request_id_;
        bool drain_after_reply_ = false;
        size_t drained_ = 0;
        std::array<char, 16384> drain_buffer_{};
    };

    void Accept() {
        acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
            if (ec == asio::error::operation_aborted) return;
            if (!ec) {
                socket.set_option(tcp::no_delay(true), ec);
                if (tls) std::make_shared<Connection<TlsStream>>(std::move(socket), *this)->Start();
                else std::make_shared<Connection<beast::tcp_stream>>(std::move(socket), *this)->Start();
            }
            Accept();
        });
    }

    void ProbeDatabase() {
        asio::post(workers, [this] {
            auto tx = services.db->Begin(storage::TxMode::kRead);
            bool ok = tx.ok() && (*tx)->Query("SELECT 1").ok();
            database_ok.store(ok);
        });
        health_timer.expires_after(std::chrono::seconds(5));
        health_timer.async_wait([this](beast::error_code ec) {
            if (!ec) ProbeDatabase();
        });
    }

    ServerOptions options;
    const Router& router;
    Services& services;
    const StaticSite& site;
    std::string openapi;
    asio::io_context io;
    asio::thread_pool workers;  // GET and HEAD
    asio::thread_pool writers;  // everything else
    tcp::acceptor acceptor;
    asio::steady_timer health_timer;
    asio::signal_set signals;
    std::atomic<bool> database_ok{true};
    unsigned short bound_port = 0;
    std::optional<asio::ssl::context> tls;  // set when a certificate and key are configured
};

Server::Server(ServerOptions options, const Router& router, Services& services, const StaticSite& site)
    : impl_(std::make_unique<Impl>(std::move(options), router, services, site)) {
    impl_->openapi = router.OpenApiJson();
}

Server::~Server() = default;

bool Server::Run() {
    auto& impl = *impl_;
    beast::error_code ec;
    if (!impl.options.tls_certificate.empty()) {
        impl.tls.emplace(asio::ssl::context::tls_server);
        // TLS 1.2 and later only.
        impl.tls->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                              asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                              asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
        impl.tls->use_certificate_chain_file(impl.options.tls_certificate, ec);
        if (!ec) impl.tls->use_private_key_file(impl.options.tls_key, asio::ssl::context::pem, ec);
        if (ec) {
            spdlog::error("cannot load the TLS certificate {} and key {}: {}", impl.options.tls_certificate,
                          impl.options.tls_key, ec.message());
            return false;
        }
    }
    tcp::endpoint endpoint(asio::ip::make_address(impl.options.address, ec), impl.options.port);
    if (ec) {
        spdlog::error("invalid address {}: {}", impl.options.address, ec.message());
        return false;
    }
    impl.acceptor.open(endpoint.protocol(), ec);
    if (!ec) impl.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) impl.acceptor.bind(endpoint, ec);
    if (!ec) impl.acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
        spdlog::error("cannot listen on {}:{}: {}", impl.options.address, impl.options.port, ec.message());
        return false;
    }
    impl.bound_port = impl.acceptor.local_endpoint().port();
    impl.signals.async_wait([this](beast::error_code, int) { Stop(); });
    impl.Accept();
    impl.ProbeDatabase();
    std::vector<std::thread> threads;
    for (int i = 1; i < impl.options.io_threads; ++i) threads.emplace_back([&impl] { impl.io.run(); });
    impl.io.run();
    for (auto& t : threads) t.join();
    impl.workers.join();
    impl.writers.join();
    return true;
}

void Server::Stop() {
    asio::post(impl_->io, [this] {
        beast::error_code ec;
        impl_->acceptor.close(ec);
        impl_->health_timer.cancel();
        impl_->io.stop();
    });
}

unsigned short Server::port() const { return impl_->bound_port; }

}  // namespace storecrm::http
