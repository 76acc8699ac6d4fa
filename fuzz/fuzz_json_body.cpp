// A request body as a POS or a browser could send it, read the way routes read theirs: every
// field kind, nested lists of objects, then Finish(). Nothing may crash, leak or overflow.
#include <cstddef>
#include <cstdint>
#include <string>

#include "http/body_reader.hpp"
#include "http/request.hpp"

using namespace storecrm;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string input(reinterpret_cast<const char*>(data), size);
    // The first line doubles as a query string, the rest is the body.
    const size_t newline = input.find('\n');
    http::Request request;
    request.query = http::ParseQueryString(input.substr(0, newline == std::string::npos ? 0 : newline));
    (void)http::UrlDecode(input, true);
    request.body = newline == std::string::npos ? input : input.substr(newline + 1);
    auto body = http::BodyReader::Parse(request);
    if (!body.ok()) return 0;
    (void)body->Text("name", {.max_chars = 50});
    (void)body->Text("notes", {.max_chars = 2000, .multiline = true});
    (void)body->Text("password", {.max_chars = 1024, .raw = true});
    (void)body->Int("quantity", false, 1, 100000);
    (void)body->Bool("enabled");
    (void)body->Choice("gender", {"male", "female", "unknown"});
    (void)body->IntList("tags");
    (void)body->TextList("codes", false, 50, 64);
    body->EachObject("lines", 200, [](http::BodyReader& line, size_t) {
        (void)line.Text("sku", {.max_chars = 64});
        (void)line.Int("quantity", true, 1, 9999);
        (void)line.Int("unit_price", false, 0);
    });
    (void)body->Finish();
    return 0;
}
