#pragma once
// Where messages leave the building: SMTP (libcurl), an SMS gateway taking an HMAC-signed JSON
// POST, the WeChat template-message adapter (an interface with no live provider), and the
// file channel of the demo (the message log itself). Webhooks use the same signed POST.

#include <cstdint>
#include <memory>
#include <string>

namespace storecrm::marketing {

struct Outgoing {
    int64_t id = 0;  // the message id: the receiver's idempotency key
    std::string to, subject, body;
    std::string unsubscribe_url;  // email: List-Unsubscribe
};

struct SendResult {
    bool ok = false;
    bool retry = false;  // a failure worth trying again (timeouts, 5xx, 429)
    int status = 0;      // HTTP status or SMTP code where known
    std::string error;
};

class Channel {
public:
    virtual ~Channel() = default;
    virtual SendResult Send(const Outgoing& message) = 0;
};

struct SmtpConfig {
    std::string url, from, username, password;
};
std::unique_ptr<Channel> MakeSmtpChannel(const SmtpConfig& config);

struct SmsGatewayConfig {
    std::string url, sender, secret;
};
std::unique_ptr<Channel> MakeSmsGateway(const SmsGatewayConfig& config);

// Answers "no provider configured" (not retried): WeChat needs an official account.
std::unique_ptr<Channel> MakeWechatAdapter();

// "X-Storecrm-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<unix>.<body>")>". While a
// rotated secret is still honoured, a second ",v1=" carries the signature with the previous one
// (as Stripe does), so a receiver on either secret accepts the delivery.
std::string SignatureHeader(const std::string& secret, int64_t unix_time, const std::string& body,
                            const std::string& previous_secret = "");
// True when any v1 of the header is the body's signature with `secret`, made within the tolerance.
bool CheckSignatureHeader(const std::string& secret, const std::string& header, const std::string& body, int64_t now,
                          int64_t tolerance_seconds = 300);

// A signed JSON POST (SMS gateway, webhooks) with Idempotency-Key; 10 s timeout.
SendResult PostSigned(const std::string& url, const std::string& secret, const std::string& idempotency_key,
                      const std::string& body, const std::string& previous_secret = "");

}  // namespace storecrm::marketing
