#pragma once
// Process-wide counters for GET /metrics (Prometheus text format 0.0.4). Recording is a short
// mutex-guarded map update; rendering happens only when scraped. Gauges that need a query
// (outbox depth) come from collectors registered at start.

#include <functional>
#include <string>
#include <string_view>

namespace storecrm::metrics {

void CountRequest(std::string_view method, std::string_view route, int status, double seconds);
void CountJobRun(std::string_view job, bool ok, double seconds);
void ObserveTransaction(bool write, double seconds);

// Appends lines in the text format (with their # HELP / # TYPE) when /metrics is scraped.
using Collector = std::function<void(std::string& out)>;
void AddCollector(Collector collector);

std::string Render();

}  // namespace storecrm::metrics
