#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "common/metrics.hpp"

namespace storecrm::metrics {
namespace {

// Worker threads count while the scraper renders: no count is lost and the text stays whole.
// Run under TSan by `make sanitize` (ctest -R Concurrent).
TEST(MetricsTest, ConcurrentCountsAddUpWhileRendering) {
    const std::string route = "/api/v1/metrics-concurrency-test";
    std::vector<std::thread> workers;
    for (int t = 0; t < 4; ++t) {
        workers.emplace_back([&] {
            for (int i = 0; i < 1000; ++i) CountRequest("GET", route, 200, 0.002);
        });
    }
    std::thread scraper([] {
        for (int i = 0; i < 50; ++i) EXPECT_NE(Render().find("# TYPE"), std::string::npos);
    });
    for (auto& t : workers) t.join();
    scraper.join();
    const std::string text = Render();
    const std::string line = "storecrm_http_requests_total{method=\"GET\",route=\"" + route + "\",status=\"200\"} 4000";
    EXPECT_NE(text.find(line), std::string::npos) << text.substr(0, 2000);
}

}  // namespace
}  // namespace storecrm::metrics
