#pragma once
// QR codes (libqrencode) as SVG for screens, PNG for download and an A5 PDF poster (libharu,
// with its built-in simplified-Chinese font) for the counter 扫码入会 stand.

#include <string>

#include "common/error.hpp"

namespace storecrm::portal {

Result<std::string> QrSvg(const std::string& text);
// A square PNG, `scale` pixels per module with a four-module quiet zone.
Result<std::string> QrPng(const std::string& text, int scale = 12);
// An A5 page: a title, the QR code of `url`, a line of instructions and the address.
Result<std::string> JoinPosterPdf(const std::string& title, const std::string& instructions, const std::string& url);

}  // namespace storecrm::portal
