#include <gtest/gtest.h>

#include "common/xlsx.hpp"
#include "common/import_rows.hpp"
#include "common/xlsx_reader.hpp"

namespace storecrm {
namespace {

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
