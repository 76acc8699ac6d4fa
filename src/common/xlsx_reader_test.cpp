#include <gtest/gtest.h>
#include <zip.h>

#include <map>
#include <string>

#include "common/xlsx.hpp"
#include "common/import_rows.hpp"
#include "common/xlsx_reader.hpp"

namespace storecrm {
namespace {

// A hand-made workbook: what a third-party tool (or an attacker) might upload.
std::string Workbook(const std::map<std::string, std::string>& files) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
    zip_source_keep(buffer);
    zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
    for (const auto& [name, text] : files) {
        zip_source_t* file = zip_source_buffer(archive, text.data(), text.size(), 0);
        zip_file_add(archive, name.c_str(), file, ZIP_FL_OVERWRITE);
    }
    zip_close(archive);
    zip_source_open(buffer);
    zip_source_seek(buffer, 0, SEEK_END);
    const auto size = zip_source_tell(buffer);
    zip_source_seek(buffer, 0, SEEK_SET);
    std::string bytes(static_cast<size_t>(size), '\0');
    zip_source_read(buffer, bytes.data(), bytes.size());
    zip_source_close(buffer);
    zip_source_free(buffer);
    zip_error_fini(&error);
    return bytes;
}

TEST(XlsxReader, PlacesACellFoundOutsideAnyRowByItsOwnReference) {
    // Found by the fuzzer: a <c> before any <row> used to index an empty row list.
    const auto bytes = Workbook({
        {"xl/workbook.xml", "<workbook><sheets><sheet name='a'/></sheets></workbook>"},
        {"xl/worksheets/sheet1.xml",
         "<worksheet><sheetData><c r='B2' t='inlineStr'><is><t>x</t></is></c>"
         "<row r='1'><c r='A1' t='inlineStr'><is><t>y</t></is></c></row></sheetData></worksheet>"},
    });
    auto rows = ReadXlsxFirstSheet(bytes);
    ASSERT_TRUE(rows.ok());
    ASSERT_EQ(rows->size(), 2u);
    EXPECT_EQ((*rows)[0], (CsvRow{"y"}));
    EXPECT_EQ((*rows)[1], (CsvRow{"", "x"}));
    auto unnumbered = ReadXlsxFirstSheet(Workbook({
        {"xl/workbook.xml", "<workbook/>"},
        {"xl/worksheets/sheet1.xml", "<worksheet><sheetData><c><v>1</v></c></sheetData></worksheet>"},
    }));
    ASSERT_TRUE(unnumbered.ok());
    EXPECT_EQ(*unnumbered, (std::vector<CsvRow>{{"1"}}));
}

TEST(XlsxReader, ReadsBackWhatTheExportWriter) {
    std::vector<CsvRow> rows = {{"手机号", "姓名", "金额"}, {"13800138000", "王一", "12.5"}, {"007", "=A1", ""}};
    auto bytes = XlsxDocument("会员", rows);
    ASSERT_TRUE(bytes.ok());
    ASSERT_TRUE(LooksLikeXlsx(*bytes));
    auto back = ReadXlsxFirstSheet(*bytes);
    ASSERT_TRUE(back.ok());
    ASSERT_EQ(back->size(), 3u);
    EXPECT_EQ((*back)[0], rows[0]);
    EXPECT_EQ((*back)[1][0], "13800138000");  // a phone number stays text, not 1.38E+10
    EXPECT_EQ((*back)[1][2], "12.5");         // an amount is a number cell, read as written
    EXPECT_EQ((*back)[2][0], "007");          // a leading zero survives
    EXPECT_EQ((*back)[2][1], "=A1");          // text, never a formula
}

TEST(XlsxReader, RefusesWhatIsNotAWorkbook) {
    EXPECT_FALSE(ReadXlsxFirstSheet("PK\x03\x04 not really a zip").ok());
    EXPECT_FALSE(ReadXlsxFirstSheet("phone,name\n1,2\n").ok());
    EXPECT_FALSE(LooksLikeXlsx("phone,name"));
}

TEST(ImportRows, ExcelDateSerials) {
    EXPECT_EQ(ExcelDateText("33000"), "1990-05-07");
    EXPECT_EQ(ExcelDateText("45262"), "2023-12-02");
    EXPECT_EQ(ExcelDateText("1990-05-07"), "1990-05-07");
    EXPECT_EQ(ExcelDateText("abc"), "abc");
}

}  // namespace
}  // namespace storecrm
