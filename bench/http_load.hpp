#pragma once
// An HTTP load generator for the benches: N keep-alive connections on one Asio thread, each
// sending the next request as soon as the previous answer arrived, for a fixed time.
// Latencies of 2xx/3xx answers are kept; 4xx/5xx and broken connections count as errors.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Request {
    bhttp::verb method = bhttp::verb::get;
    std::string target;
    std::string body;
    std::string idempotency_key;  // sent as Idempotency-Key when not empty
};

struct Figures {
    double per_second = 0, p50_ms = 0, p99_ms = 0;
    int64_t count = 0, errors = 0;
};

Figures Summarise(std::vector<double>& latencies_ms, int64_t errors, double seconds);
std::string UrlEncode(const std::string& s);
// "18480" or "18480,18481": one endpoint per port on 127.0.0.1.
std::vector<tcp::endpoint> LoopbackEndpoints(const std::string& ports);

class LoadRun {
public:
    // Connections are spread over `endpoints` in turn (several instances behind no balancer).
    LoadRun(asio::io_context& io, std::vector<tcp::endpoint> endpoints, std::string token, std::function<Request()> next,
            int connections, double seconds)
        : io_(io), endpoints_(std::move(endpoints)), token_(std::move(token)), next_(std::move(next)), seconds_(seconds) {
        for (int i = 0; i < connections; ++i) {
            connections_.push_back(std::make_unique<Connection>(*this, endpoints_[i % endpoints_.size()]));
        }
    }

    Figures Run() {
        start_ = Clock::now();
        deadline_ = start_ + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(seconds_));
        for (auto& c : connections_) c->Start();
        io_.run();
        io_.restart();
        const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
        return Summarise(latencies_, errors_, elapsed);
    }

private:
    struct Connection {
        Connection(LoadRun& run, tcp::endpoint endpoint) : run(run), endpoint(endpoint), stream(run.io_) {}
        void Start() {
            stream.async_connect(endpoint, [this](beast::error_code ec) {
                if (ec) {
                    ++run.errors_;
                    return;
                }
                stream.socket().set_option(tcp::no_delay(true));
                Send();
            });
        }
        void Send() {
            if (Clock::now() >= run.deadline_) return;
            Request r = run.next_();
            request = {r.method, r.target, 11};
            request.set(bhttp::field::host, "127.0.0.1");
            request.set(bhttp::field::authorization, "Bearer " + run.token_);
            if (!r.idempotency_key.empty()) request.set("Idempotency-Key", r.idempotency_key);
            if (!r.body.empty()) {
                request.set(bhttp::field::content_type, "application/json");
                request.body() = r.body;
            }
            request.prepare_payload();
            sent = Clock::now();
            bhttp::async_write(stream, request, [this](beast::error_code ec, size_t) {
                if (ec) return Fail();
                response = {};
                bhttp::async_read(stream, buffer, response, [this](beast::error_code ec, size_t) {
                    if (ec) return Fail();
                    const int status = response.result_int();
                    if (status >= 400) ++run.errors_;
                    else run.latencies_.push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
                    Send();
                });
            });
        }
        void Fail() { ++run.errors_; }

        LoadRun& run;
        tcp::endpoint endpoint;
        beast::tcp_stream stream;
        beast::flat_buffer buffer;
        bhttp::request<bhttp::string_body> request;
        bhttp::response<bhttp::string_body> response;
        Clock::time_point sent;
    };

    asio::io_context& io_;
    std::vector<tcp::endpoint> endpoints_;
    std::string token_;
    std::function<Request()> next_;
    double seconds_;
    Clock::time_point start_, deadline_;
    std::vector<std::unique_ptr<Connection>> connections_;
    std::vector<double> latencies_;
    int64_t errors_ = 0;
};


}  // namespace bench
