#include "portal/qr_images.hpp"

#include <hpdf.h>
#include <png.h>
#include <qrencode.h>
#include <unicode/ucnv.h>

#include <memory>
#include <vector>

namespace storecrm::portal {
namespace {

constexpr int kQuietZone = 4;

struct Matrix {
    int size = 0;
    std::vector<bool> dark;
    bool At(int x, int y) const { return dark[static_cast<size_t>(y) * size + x]; }
};

Result<Matrix> Encode(const std::string& text) {
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString8bit(text.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
    if (!code) return Error::Internal("QR encoding failed");
    Matrix m{code->width, std::vector<bool>(static_cast<size_t>(code->width) * code->width)};
    for (int i = 0; i < code->width * code->width; ++i) m.dark[i] = code->data[i] & 1;
    return m;
}

void AppendPng(png_structp png, png_bytep data, png_size_t length) {
    static_cast<std::string*>(png_get_io_ptr(png))->append(reinterpret_cast<const char*>(data), length);
}

// libharu's Chinese fonts take GB-EUC text.
std::string ToGb(const std::string& utf8) {
    UErrorCode status = U_ZERO_ERROR;
    std::string out(utf8.size() * 2 + 4, '\0');
    const int32_t n = ucnv_convert("GB2312", "UTF-8", out.data(), static_cast<int32_t>(out.size()), utf8.data(),
                                   static_cast<int32_t>(utf8.size()), &status);
    if (U_FAILURE(status)) return "";
    out.resize(static_cast<size_t>(n));
    return out;
}

void OnPdfError(HPDF_STATUS, HPDF_STATUS, void*) {}  // checked through return values

}  // namespace

Result<std::string> QrSvg(const std::string& text) {
    auto m = Encode(text);
    if (!m.ok()) return m.take_error();
    const int full = m->size + 2 * kQuietZone;
    std::string path;
    for (int y = 0; y < m->size; ++y) {
        for (int x = 0; x < m->size; ++x) {
            if (m->At(x, y)) path += "M" + std::to_string(x + kQuietZone) + " " + std::to_string(y + kQuietZone) + "h1v1h-1z";
        }
    }
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(full) + " " + std::to_string(full) +
           "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"" +
           path + "\"/></svg>";
}

Result<std::string> QrPng(const std::string& text, int scale) {
    auto m = Encode(text);
    if (!m.ok()) return m.take_error();
    const int full = (m->size + 2 * kQuietZone) * scale;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png ? png_create_info_struct(png) : nullptr;
    if (!png || !info) return Error::Internal("png allocation failed");
    std::string out;
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return Error::Internal("png encoding failed");
    }
    png_set_write_fn(png, &out, AppendPng, nullptr);
    png_set_IHDR(png, info, full, full, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    std::vector<png_byte> row(static_cast<size_t>(full));
    for (int py = 0; py < full; ++py) {
        const int y = py / scale - kQuietZone;
        for (int px = 0; px < full; ++px) {
            const int x = px / scale - kQuietZone;
            const bool dark = x >= 0 && y >= 0 && x < m->size && y < m->size && m->At(x, y);
            row[px] = dark ? 0 : 255;
        }
        png_write_row(png, row.data());
    }
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    return out;
}

Result<std::string> JoinPosterPdf(const std::string& title, const std::string& instructions, const std::string& url) {
    auto m = Encode(url);
    if (!m.ok()) return m.take_error();
    std::unique_ptr<std::remove_pointer_t<HPDF_Doc>, decltype(&HPDF_Free)> pdf(HPDF_New(OnPdfError, nullptr), &HPDF_Free);
    if (!pdf) return Error::Internal("pdf allocation failed");
    HPDF_UseCNSFonts(pdf.get());
    HPDF_UseCNSEncodings(pdf.get());
    HPDF_Font font = HPDF_GetFont(pdf.get(), "SimHei", "GB-EUC-H");
    HPDF_Font latin = HPDF_GetFont(pdf.get(), "Helvetica", nullptr);
    HPDF_Page page = HPDF_AddPage(pdf.get());
    if (!font || !latin || !page) return Error::Internal("pdf font or page failed");
    const float width = 420, height = 595;  // A5 in points
    HPDF_Page_SetWidth(page, width);
    HPDF_Page_SetHeight(page, height);
    auto centred = [&](HPDF_Font f, float size, float y, const std::string& text) {
        HPDF_Page_SetFontAndSize(page, f, size);
        const float w = HPDF_Page_TextWidth(page, text.c_str());
        HPDF_Page_BeginText(page);
        HPDF_Page_TextOut(page, (width - w) / 2, y, text.c_str());
        HPDF_Page_EndText(page);
    };
    centred(font, 30, height - 90, ToGb(title));
    const float side = 260, module = side / static_cast<float>(m->size);
    const float left = (width - side) / 2, top = height - 130;
    HPDF_Page_SetRGBFill(page, 0, 0, 0);
    for (int y = 0; y < m->size; ++y) {
        for (int x = 0; x < m->size; ++x) {
            if (m->At(x, y)) HPDF_Page_Rectangle(page, left + x * module, top - (y + 1) * module, module, module);
        }
    }
    HPDF_Page_Fill(page);
    centred(font, 16, top - side - 40, ToGb(instructions));
    centred(latin, 8, 40, url);
    if (HPDF_SaveToStream(pdf.get()) != HPDF_OK) return Error::Internal("pdf write failed");
    std::string out(HPDF_GetStreamSize(pdf.get()), '\0');
    HPDF_UINT32 size = static_cast<HPDF_UINT32>(out.size());
    if (HPDF_ReadFromStream(pdf.get(), reinterpret_cast<HPDF_BYTE*>(out.data()), &size) != HPDF_OK && size == 0) {
        return Error::Internal("pdf read failed");
    }
    out.resize(size);
    return out;
}

}  // namespace storecrm::portal
