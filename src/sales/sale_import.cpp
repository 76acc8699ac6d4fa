#include "sales/sale_import.hpp"

#include <unicode/gregocal.h>
#include <unicode/timezone.h>

#include <cstdio>
#include <map>
#include <memory>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/phone.hpp"
#include "common/text_fold.hpp"
#include "http/body_reader.hpp"
#include "members/member_repository.hpp"
#include "sales/sale_service.hpp"

namespace storecrm::sales {
namespace {

using nlohmann::json;

const std::vector<ColumnAlias>& Known() {
    static const std::vector<ColumnAlias> known = {
        {"store", {"门店", "门店编码", "store_code"}},
        {"receipt_no", {"单号", "小票号", "销售单号", "receipt"}},
        {"sold_at", {"时间", "销售时间", "日期", "date"}},
        {"member_phone", {"会员手机号", "会员手机", "手机号", "phone"}},
        {"sku", {"商品编码", "条码", "货号", "barcode"}},
        {"quantity", {"数量", "qty"}},
        {"unit_price_yuan", {"单价", "价格", "unit_price"}},
        {"discount_yuan", {"折扣", "优惠", "discount"}},
        {"payment", {"支付方式", "付款方式"}},
        {"terminal", {"收银台", "终端"}},
    };
    return known;
}

std::string Payment(const std::string& cell) {
    const std::string f = FoldText(cell);
    if (f.empty() || f == "现金" || f == "cash") return "cash";
    if (f == "微信" || f == "微信支付" || f == "wechat" || f == "wechat_pay") return "wechat_pay";
    if (f == "支付宝" || f == "alipay") return "alipay";
    if (f == "银行卡" || f == "刷卡" || f == "bank_card" || f == "card") return "bank_card";
    if (f == "其他" || f == "other") return "other";
    return "";
}

// Yuan with at most two decimals → fen.
std::optional<int64_t> Fen(const std::string& yuan) {
    double value = 0;
    char rest = 0;
    if (std::sscanf(yuan.c_str(), "%lf%c", &value, &rest) != 1 || value < 0) return std::nullopt;
    return static_cast<int64_t>(value * 100 + 0.5);
}

// "2026-11-03 14:05[:09]" (or with '/'), an ISO time with Z, or an Excel date-time serial; local
// times are the store's.
std::optional<int64_t> SoldAt(const std::string& cell, const std::string& timezone) {
    if (auto utc = ParseIsoDateTime(cell)) return utc;
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    double serial = 0;
    char rest = 0;
    if (std::sscanf(cell.c_str(), "%d%*[-/]%d%*[-/]%d %d:%d:%d", &y, &mo, &d, &h, &mi, &s) >= 5) {
    } else if (std::sscanf(cell.c_str(), "%lf%c", &serial, &rest) == 1 && serial > 1 && serial < 2958466) {
        // Excel: days since 1899-12-30, the fraction the time of day.
        const int64_t days = static_cast<int64_t>(serial);
        const int64_t seconds = static_cast<int64_t>((serial - static_cast<double>(days)) * 86400 + 0.5);
        const int64_t unix_day = days - 25569;  // 1970-01-01 is serial 25569
        const std::time_t t = static_cast<std::time_t>(unix_day * 86400 + seconds);
        std::tm tm{};
        gmtime_r(&t, &tm);
        y = tm.tm_year + 1900, mo = tm.tm_mon + 1, d = tm.tm_mday, h = tm.tm_hour, mi = tm.tm_min, s = tm.tm_sec;
    } else {
        return std::nullopt;
    }
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return std::nullopt;
    UErrorCode status = U_ZERO_ERROR;
    auto zone = icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(timezone));
    icu::GregorianCalendar calendar(zone, status);  // adopts zone
    if (U_FAILURE(status)) return std::nullopt;
    calendar.clear();
    calendar.set(y, mo - 1, d, h, mi, s);
    const UDate ms = calendar.getTime(status);
    if (U_FAILURE(status)) return std::nullopt;
    return static_cast<int64_t>(ms / 1000.0);
}

struct Receipt {
    std::vector<size_t> rows;  // spreadsheet row numbers, in file order
    json body;
    std::string sold_at_text, phone, payment;
};

// "lines[2].sku" → the receipt's third row, column sku; anything else → its first row.
void ReportSaleError(const Receipt& receipt, const Error& e, ImportSink& sink) {
    std::map<size_t, std::vector<FieldError>> by_row;
    for (const auto& f : e.fields) {
        size_t row = receipt.rows.front();
        std::string column = f.field;
        if (f.field.rfind("lines[", 0) == 0) {
            const size_t index = std::strtoul(f.field.c_str() + 6, nullptr, 10);
            if (index < receipt.rows.size()) row = receipt.rows[index];
            const size_t dot = f.field.find("].");
            column = dot == std::string::npos ? "sku" : f.field.substr(dot + 2);
            if (column == "unit_price") column = "unit_price_yuan";
            if (column == "discount") column = "discount_yuan";
        } else if (f.field == "member_id") {
            column = "member_phone";
        } else if (f.field == "store_id") {
            column = "store";
        } else if (f.field.rfind("payments", 0) == 0) {
            column = "payment";
        }
        by_row[row].push_back({column, f.message});
    }
    if (by_row.empty()) by_row[receipt.rows.front()].push_back({"receipt_no", e.message});
    for (const auto& [row, errors] : by_row) sink.AddRowErrors(row, errors);
}

}  // namespace

Status ImportSaleRows(http::RequestContext& ctx, const std::vector<CsvRow>& rows, ImportSink& sink) {
    if (rows.empty()) return Error::Field("file", "field.required");
    const Columns columns(rows[0], Known());
    for (const char* needed : {"store", "receipt_no", "sold_at", "sku", "quantity"}) {
        if (!columns.Has(needed)) return Error::Field("file", "field.missing_column", {{"column", needed}});
    }
    auto stores = ctx.tx.Query("SELECT id, code, name, timezone FROM stores");
    if (!stores.ok()) return stores.take_error();
    struct StoreRef {
        int64_t id;
        std::string timezone;
    };
    std::map<std::string, StoreRef> store_by_name;
    for (const auto& s : *stores) {
        store_by_name[FoldText(s.Text(1))] = {s.Int(0), s.Text(3)};
        store_by_name.emplace(FoldText(s.Text(2)), StoreRef{s.Int(0), s.Text(3)});
    }
    members::MemberRepository members(ctx.tx, *ctx.services.vault);

    // Lines gathered into receipts, each row checked on its own first.
    std::map<std::string, Receipt> receipts;
    std::vector<std::string> order;
    for (size_t i = 1; i < rows.size(); ++i) {
        const size_t row_number = i + 1;
        const CsvRow& row = rows[i];
        if (sink.progress) sink.progress(static_cast<int64_t>(i / 2));
        auto cell = [&](const char* name) { return columns.Cell(row, name).value_or(""); };
        bool blank = true;
        for (const auto& c : row) blank = blank && c.find_first_not_of(" \t") == std::string::npos;
        if (blank) continue;
        std::vector<FieldError> errors;
        const auto store = store_by_name.find(FoldText(cell("store")));
        if (store == store_by_name.end()) errors.push_back({"store", {"field.not_found", {}}});
        else if (!ctx.principal.CanAccessStore(store->second.id)) errors.push_back({"store", {"field.store_out_of_scope", {}}});
        const std::string receipt_no = cell("receipt_no");
        if (receipt_no.empty()) errors.push_back({"receipt_no", {"field.required", {}}});
        std::optional<int64_t> sold_at;
        if (store != store_by_name.end()) sold_at = SoldAt(cell("sold_at"), store->second.timezone);
        if (store != store_by_name.end() && !sold_at) errors.push_back({"sold_at", {"import.invalid_time", {}}});
        json line = {{"sku", cell("sku")}};
        char rest = 0;
        int64_t quantity = 0;
        if (std::sscanf(cell("quantity").c_str(), "%ld%c", &quantity, &rest) != 1 || quantity < 1) {
            errors.push_back({"quantity", {"field.out_of_range", {{"min", "1"}, {"max", "9999"}}}});
        }
        line["quantity"] = quantity;
        for (const auto& [column, field] : {std::pair{"unit_price_yuan", "unit_price"}, {"discount_yuan", "discount"}}) {
            const std::string text = cell(column);
            if (text.empty()) continue;
            if (auto fen = Fen(text)) line[field] = *fen;
            else errors.push_back({column, {"field.must_be_number", {}}});
        }
        const std::string payment = Payment(cell("payment"));
        if (payment.empty()) {
            errors.push_back({"payment", {"field.invalid_choice", {{"choices", "现金, 微信, 支付宝, 银行卡, 其他"}}}});
        }
        std::optional<int64_t> member_id;
        const std::string phone_text = cell("member_phone");
        if (!phone_text.empty()) {
            auto phone = NormalizePhone(phone_text);
            if (!phone) {
                errors.push_back({"member_phone", {"field.invalid_phone", {}}});
            } else {
                auto found = members.FindByPhone(*phone);
                if (!found.ok()) return found.take_error();
                if (!*found) errors.push_back({"member_phone", {"field.not_found", {}}});
                else member_id = **found;
            }
        }
        if (sink.AddRowErrors(row_number, errors)) continue;

        const std::string terminal = cell("terminal").empty() ? "IMPORT" : cell("terminal");
        const std::string key = std::to_string(store->second.id) + "\x1f" + terminal + "\x1f" + receipt_no;
        auto [it, fresh] = receipts.try_emplace(key);
        Receipt& receipt = it->second;
        if (fresh) {
            order.push_back(key);
            receipt.body = {{"store_id", store->second.id}, {"terminal", terminal}, {"receipt_no", receipt_no},
                            {"sold_at", FormatIsoUtc(*sold_at)}, {"lines", json::array()}};
            if (member_id) receipt.body["member_id"] = *member_id;
            receipt.sold_at_text = FormatIsoUtc(*sold_at);
            receipt.phone = phone_text;
            receipt.payment = payment;
        } else if (receipt.sold_at_text != FormatIsoUtc(*sold_at) || receipt.phone != phone_text ||
                   receipt.payment != payment) {
            sink.AddRowError(row_number, "receipt_no", {"import.receipt_rows_disagree", {}});
            continue;
        }
        receipt.rows.push_back(row_number);
        receipt.body["lines"].push_back(line);
    }

    // Each receipt through the till's path: quote for the total, then prepare and complete.
    size_t done = 0;
    for (const auto& key : order) {
        Receipt& receipt = receipts[key];
        if (sink.progress) sink.progress(static_cast<int64_t>((rows.size() - 1) / 2 + (++done) * (rows.size() - 1) / 2 / order.size()));
        http::BodyReader quote_body(receipt.body);
        auto input = ReadSaleInput(quote_body, ctx.principal, true);
        Result<json> quote = input.ok() ? QuoteSale(ctx, *input) : Result<json>(input.error());
        if (!quote.ok()) {
            if (quote.error().fields.empty() && quote.error().code != ErrorCode::kConflict) return quote.take_error();
            ReportSaleError(receipt, quote.error(), sink);
            continue;
        }
        receipt.body["payments"] = {{{"method", receipt.payment}, {"amount", (*quote)["total"]}}};
        http::Request request;
        request.method = "POST";
        request.path = "/api/v1/sales";
        request.body = receipt.body.dump();
        http::RequestContext sale_ctx(request, ctx.locale, ctx.principal, ctx.tx, ctx.services, false);
        Status prepared = PrepareSale(sale_ctx);
        Result<json> sale = prepared.ok() ? CompleteSale(sale_ctx) : Result<json>(prepared.error());
        if (!sale.ok()) {
            if (sale.error().fields.empty()) return sale.take_error();
            ReportSaleError(receipt, sale.error(), sink);
            continue;
        }
        sink.written += static_cast<int64_t>(receipt.rows.size());
    }
    return Ok();
}

std::vector<CsvRow> SaleImportTemplate() {
    return {{"store", "receipt_no", "sold_at", "member_phone", "sku", "quantity", "unit_price_yuan", "discount_yuan",
             "payment", "terminal"},
            {"SH01", "20261103-0001", "2026-11-03 14:05", "13800138000", "SKU001", "2", "99.00", "0", "微信", "POS1"}};
}

}  // namespace storecrm::sales
