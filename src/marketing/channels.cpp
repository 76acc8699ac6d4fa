#include "marketing/channels.hpp"

#include <cstring>
#include <ctime>
#include <vector>

#include <curl/curl.h>
#include <nlohmann/json.hpp>
#include <sodium.h>

#include "security/sealed_text.hpp"

namespace storecrm::marketing {
namespace {

struct CurlGlobal {
    CurlGlobal() { curl_global_init(CURL_GLOBAL_DEFAULT); }
};

CURL* NewHandle() {
    static CurlGlobal global;
    return curl_easy_init();
}

size_t Discard(char*, size_t size, size_t n, void*) { return size * n; }

std::string Hex(const unsigned char* bytes, size_t n) {
    std::string hex(n * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), bytes, n);
    hex.pop_back();
    return hex;
}

// Standard HMAC-SHA256 with the secret as the key, whatever its length (what receivers compute
// with their own HMAC library).
std::string HmacHex(const std::string& secret, const std::string& text) {
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(secret.data()), secret.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(text.data()), text.size());
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_final(&state, mac);
    return Hex(mac, sizeof mac);
}

// RFC 2047 "encoded-word" for a UTF-8 header value.
std::string EncodedWord(const std::string& text) { return "=?UTF-8?B?" + security::Base64Encode(text) + "?="; }

std::string Base64Lines(const std::string& text) {
    const std::string b64 = security::Base64Encode(text);
    std::string out;
    for (size_t i = 0; i < b64.size(); i += 76) out += b64.substr(i, 76) + "\r\n";
    return out;
}

std::string RfcDate(std::time_t t) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
    return buf;
}

struct Upload {
    std::string data;
    size_t offset = 0;
};

size_t ReadUpload(char* out, size_t size, size_t n, void* user) {
    auto* u = static_cast<Upload*>(user);
    const size_t len = std::min(size * n, u->data.size() - u->offset);
    std::memcpy(out, u->data.data() + u->offset, len);
    u->offset += len;
    return len;
}

class SmtpChannel final : public Channel {
public:
    explicit SmtpChannel(SmtpConfig config) : config_(std::move(config)), curl_(NewHandle()) {}
    ~SmtpChannel() override { curl_easy_cleanup(curl_); }

    SendResult Send(const Outgoing& m) override {
        std::string headers = "Date: " + RfcDate(std::time(nullptr)) + "\r\nFrom: " + config_.from + "\r\nTo: " + m.to +
                              "\r\nSubject: " + EncodedWord(m.subject) + "\r\nMessage-ID: <msg-" + std::to_string(m.id) +
                              "@storecrm>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                              "Content-Transfer-Encoding: base64\r\n";
        if (!m.unsubscribe_url.empty()) {
            headers += "List-Unsubscribe: <" + m.unsubscribe_url + ">\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n";
        }
        Upload upload{headers + "\r\n" + Base64Lines(m.body), 0};
        curl_easy_reset(curl_);
        curl_easy_setopt(curl_, CURLOPT_URL, config_.url.c_str());
        curl_easy_setopt(curl_, CURLOPT_MAIL_FROM, ("<" + config_.from + ">").c_str());
        curl_slist* rcpt = curl_slist_append(nullptr, ("<" + m.to + ">").c_str());
        curl_easy_setopt(curl_, CURLOPT_MAIL_RCPT, rcpt);
        if (!config_.username.empty()) {
            curl_easy_setopt(curl_, CURLOPT_USERNAME, config_.username.c_str());
            curl_easy_setopt(curl_, CURLOPT_PASSWORD, config_.password.c_str());
            curl_easy_setopt(curl_, CURLOPT_USE_SSL, static_cast<long>(CURLUSESSL_TRY));
        }
        curl_easy_setopt(curl_, CURLOPT_READFUNCTION, ReadUpload);
        curl_easy_setopt(curl_, CURLOPT_READDATA, &upload);
        curl_easy_setopt(curl_, CURLOPT_UPLOAD, 1L);
        curl_easy_setopt(curl_, CURLOPT_TIMEOUT, 20L);
        curl_easy_setopt(curl_, CURLOPT_NOSIGNAL, 1L);
        const CURLcode rc = curl_easy_perform(curl_);
        curl_slist_free_all(rcpt);
        long code = 0;
        curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &code);
        SendResult r{.ok = rc == CURLE_OK, .status = static_cast<int>(code)};
        if (!r.ok) {
            r.error = curl_easy_strerror(rc);
            // A mailbox the server refuses (5xx) stays refused; anything else may pass later.
            r.retry = !(code >= 500 && code < 600 && rc == CURLE_SEND_ERROR) && rc != CURLE_LOGIN_DENIED;
        }
        return r;
    }

private:
    SmtpConfig config_;
    CURL* curl_;
};

class SmsGateway final : public Channel {
public:
    explicit SmsGateway(SmsGatewayConfig config) : config_(std::move(config)) {}
    SendResult Send(const Outgoing& m) override {
        const std::string body = nlohmann::json{{"message_id", m.id}, {"to", m.to}, {"sender", config_.sender}, {"text", m.body}}.dump();
        return PostSigned(config_.url, config_.secret, "msg-" + std::to_string(m.id), body);
    }

private:
    SmsGatewayConfig config_;
};

class WechatAdapter final : public Channel {
public:
    SendResult Send(const Outgoing&) override {
        return {.ok = false, .retry = false, .error = "no WeChat provider configured"};
    }
};

}  // namespace

std::unique_ptr<Channel> MakeSmtpChannel(const SmtpConfig& config) { return std::make_unique<SmtpChannel>(config); }
std::unique_ptr<Channel> MakeSmsGateway(const SmsGatewayConfig& config) { return std::make_unique<SmsGateway>(config); }
std::unique_ptr<Channel> MakeWechatAdapter() { return std::make_unique<WechatAdapter>(); }

std::string SignatureHeader(const std::string& secret, int64_t unix_time, const std::string& body,
                            const std::string& previous_secret) {
    const std::string signed_text = std::to_string(unix_time) + "." + body;
    std::string header = "t=" + std::to_string(unix_time) + ",v1=" + HmacHex(secret, signed_text);
    if (!previous_secret.empty()) header += ",v1=" + HmacHex(previous_secret, signed_text);
    return header;
}

bool CheckSignatureHeader(const std::string& secret, const std::string& header, const std::string& body, int64_t now,
                          int64_t tolerance_seconds) {
    const auto v = header.find(",v1=");
    if (header.rfind("t=", 0) != 0 || v == std::string::npos) return false;
    int64_t at = 0;
    try {
        size_t used = 0;
        at = std::stoll(header.substr(2, v - 2), &used);
        if (used != v - 2) return false;
    } catch (...) {
        return false;
    }
    if (at < now - tolerance_seconds || at > now + tolerance_seconds) return false;
    const std::string expected = HmacHex(secret, std::to_string(at) + "." + body);
    for (size_t from = v; from != std::string::npos;) {
        const size_t start = from + 4, next = header.find(",v1=", start);
        const std::string given = header.substr(start, next == std::string::npos ? std::string::npos : next - start);
        if (given.size() == expected.size() && sodium_memcmp(given.data(), expected.data(), given.size()) == 0) return true;
        from = next;
    }
    return false;
}

SendResult PostSigned(const std::string& url, const std::string& secret, const std::string& idempotency_key,
                      const std::string& body, const std::string& previous_secret) {
    CURL* curl = NewHandle();
    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, "Content-Type: application/json");
    headers = curl_slist_append(headers, ("Idempotency-Key: " + idempotency_key).c_str());
    headers = curl_slist_append(headers, ("X-Storecrm-Signature: " + SignatureHeader(secret, std::time(nullptr), body, previous_secret)).c_str());
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Discard);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    const CURLcode rc = curl_easy_perform(curl);
    long code = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
    curl_slist_free_all(headers);
    curl_easy_cleanup(curl);
    SendResult r{.status = static_cast<int>(code)};
    if (rc != CURLE_OK) {
        r.error = curl_easy_strerror(rc);
        r.retry = true;
    } else if (code >= 200 && code < 300) {
        r.ok = true;
    } else {
        r.error = "HTTP " + std::to_string(code);
        r.retry = code >= 500 || code == 429 || code == 408;
    }
    return r;
}

}  // namespace storecrm::marketing
