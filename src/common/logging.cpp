#include "common/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <mutex>

namespace storecrm::logging {
namespace {

// %J: the message as a JSON string (quotes included).
class JsonMessage final : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
        dest.push_back('"');
        for (char c : msg.payload) {
            switch (c) {
                case '"': dest.append(std::string_view("\\\"")); break;
                case '\\': dest.append(std::string_view("\\\\")); break;
                case '\n': dest.append(std::string_view("\\n")); break;
                case '\r': dest.append(std::string_view("\\r")); break;
                case '\t': dest.append(std::string_view("\\t")); break;
                default:
                    if (static_cast<unsigned char>(c) < 0x20) {
                        char hex[8];
                        std::snprintf(hex, sizeof hex, "\\u%04x", c);
                        dest.append(std::string_view(hex));
                    } else {
                        dest.push_back(c);
                    }
            }
        }
        dest.push_back('"');
    }
    std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<JsonMessage>(); }
};

constexpr const char* kTimeJson = R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l",)";

std::unique_ptr<spdlog::formatter> MakeFormatter(Format format, bool access) {
    if (format == Format::kText) {
        return std::make_unique<spdlog::pattern_formatter>(access ? "[%Y-%m-%d %H:%M:%S.%e] [access] %v"
                                                                  : "[%Y-%m-%d %H:%M:%S.%e] [%l] %v",
                                                           spdlog::pattern_time_type::utc);
    }
    auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    if (access) {
        // The access message is the inside of an object: {"request_id":…} without its braces.
        formatter->set_pattern(std::string(kTimeJson) + R"("logger":"access",%v})");
        return formatter;
    }
    formatter->add_flag<JsonMessage>('J');
    formatter->set_pattern(std::string(kTimeJson) + R"("logger":"storecrm","msg":%J})");
    return formatter;
}

std::shared_ptr<spdlog::logger> access_log;
std::once_flag access_once;

}  // namespace

void Configure(Format format) {
    spdlog::default_logger()->set_formatter(MakeFormatter(format, false));
    AccessLog().set_formatter(MakeFormatter(format, true));
}

spdlog::logger& AccessLog() {
    std::call_once(access_once, [] {
        access_log = spdlog::stdout_color_mt("access");
        access_log->set_formatter(MakeFormatter(Format::kText, true));
    });
    return *access_log;
}

}  // namespace storecrm::logging
