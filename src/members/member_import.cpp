#include "members/member_import.hpp"

#include <nlohmann/json.hpp>

#include "common/text_fold.hpp"
#include "http/body_reader.hpp"
#include "members/member_repository.hpp"
#include "members/member_service.hpp"

namespace storecrm::members {
namespace {

using nlohmann::json;

const std::vector<ColumnAlias>& Known() {
    static const std::vector<ColumnAlias> known = {
        {"phone", {"手机号", "手机", "手机号码", "电话", "mobile"}},
        {"name", {"姓名", "名字", "会员姓名"}},
        {"store", {"门店", "门店编码", "所属门店", "store_code", "home_store"}},
        {"gender", {"性别", "sex"}},
        {"birthday", {"生日", "出生日期", "birth_date"}},
        {"email", {"邮箱", "电子邮箱", "e-mail"}},
        {"category", {"类别", "会员类别", "会员类型"}},
        {"company", {"公司", "单位"}},
        {"address", {"地址", "住址"}},
        {"wechat_id", {"微信", "微信号", "wechat"}},
        {"notes", {"备注", "note"}},
        {"sms_opt_in", {"短信营销", "接收短信", "sms"}},
        {"email_opt_in", {"邮件营销", "接收邮件"}},
    };
    return known;
}

// 男/女, M/F, male/female; anything else is passed on for the usual field error.
std::string Gender(const std::string& cell) {
    const std::string f = FoldText(cell);
    if (f == "男" || f == "m" || f == "male") return "male";
    if (f == "女" || f == "f" || f == "female") return "female";
    if (f.empty() || f == "未知" || f == "unknown") return "unknown";
    return cell;
}

std::string Category(const std::string& cell) {
    const std::string f = FoldText(cell);
    if (f.empty() || f == "普通" || f == "普通会员") return "regular";
    if (f == "vip" || f == "贵宾") return "vip";
    if (f == "批发" || f == "批发客户") return "wholesale";
    return cell;
}

// 是/否, yes/no, 1/0, true/false; nullopt for an empty cell.
std::optional<json> YesNo(const std::string& cell) {
    const std::string f = FoldText(cell);
    if (f.empty()) return std::nullopt;
    if (f == "是" || f == "yes" || f == "y" || f == "1" || f == "true" || f == "同意") return json(true);
    if (f == "否" || f == "no" || f == "n" || f == "0" || f == "false" || f == "不同意") return json(false);
    return json(cell);  // not a boolean: the usual field error
}

// Field names as the member form knows them → the file's column names.
std::string ColumnOf(const std::string& field) {
    if (field == "home_store_id") return "store";
    if (field == "consents.sms") return "sms_opt_in";
    if (field == "consents.email") return "email_opt_in";
    return field;
}

}  // namespace

Status ImportMemberRows(http::RequestContext& ctx, const std::vector<CsvRow>& rows, ImportSink& sink) {
    if (rows.empty()) return Error::Field("file", "field.required");
    const Columns columns(rows[0], Known());
    if (!columns.Has("phone")) return Error::Field("file", "field.missing_column", {{"column", "phone (手机号)"}});
    auto stores = ctx.tx.Query("SELECT id, code, name FROM stores");
    if (!stores.ok()) return stores.take_error();
    std::map<std::string, int64_t> store_ids;  // by folded code and name
    for (const auto& s : *stores) {
        store_ids[FoldText(s.Text(1))] = s.Int(0);
        store_ids.emplace(FoldText(s.Text(2)), s.Int(0));
    }
    MemberRepository repo(ctx.tx, *ctx.services.vault);
    for (size_t i = 1; i < rows.size(); ++i) {
        const size_t row_number = i + 1;
        const CsvRow& row = rows[i];
        if (sink.progress) sink.progress(static_cast<int64_t>(i));
        bool blank = true;
        for (const auto& cell : row) blank = blank && cell.find_first_not_of(" \t") == std::string::npos;
        if (blank) continue;

        json body = {{"source", "import"}};
        for (const char* text : {"phone", "name", "email", "company", "address", "wechat_id", "notes"}) {
            if (auto v = columns.Cell(row, text); v && !v->empty()) body[text] = *v;
        }
        if (auto v = columns.Cell(row, "gender")) body["gender"] = Gender(*v);
        if (auto v = columns.Cell(row, "category")) body["category"] = Category(*v);
        if (auto v = columns.Cell(row, "birthday"); v && !v->empty()) body["birthday"] = ExcelDateText(*v);
        std::optional<FieldError> store_error;
        if (auto v = columns.Cell(row, "store"); v && !v->empty()) {
            auto it = store_ids.find(FoldText(*v));
            if (it == store_ids.end()) store_error = FieldError{"store", {"field.not_found", {}}};
            else body["home_store_id"] = it->second;
        }
        json consents = json::object();
        if (auto v = columns.Cell(row, "sms_opt_in")) {
            if (auto b = YesNo(*v)) consents["sms"] = *b;
        }
        if (auto v = columns.Cell(row, "email_opt_in")) {
            if (auto b = YesNo(*v)) consents["email"] = *b;
        }
        if (!consents.empty()) body["consents"] = consents;

        // Every problem of the row at once, as the form would show them.
        http::BodyReader reader(body);
        MemberRecord record;
        MemberInput input;
        Status read = ReadMemberInput(reader, ctx, record, true, input);
        if (read.ok() && !store_error) read = SaveNewMember(ctx, repo, record, input);
        if (read.ok() && !store_error) {
            ++sink.written;
            continue;
        }
        std::vector<FieldError> row_errors;
        if (store_error) row_errors.push_back(*store_error);
        if (!read.ok()) {
            if (read.error().fields.empty()) return read;  // not the row's fault: stop
            for (const auto& f : read.error().fields) {
                if (store_error && f.field == "home_store_id") continue;
                row_errors.push_back({ColumnOf(f.field), f.message});
            }
        }
        sink.AddRowErrors(row_number, row_errors);
    }
    return Ok();
}

std::vector<CsvRow> MemberImportTemplate() {
    return {{"phone", "name", "store", "gender", "birthday", "email", "category", "company", "address", "wechat_id",
             "notes", "sms_opt_in", "email_opt_in"},
            {"13800138000", "张三", "SH01", "男", "1990-05-20", "zhangsan@example.com", "普通", "", "上海市黄浦区", "",
             "", "是", "否"}};
}

}  // namespace storecrm::members
