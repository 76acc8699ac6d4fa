#include "members/minors.hpp"

#include <cstdio>
#include <ctime>

namespace storecrm::members {
namespace {

void ChinaDate(int64_t now, int* year, int* month, int* day) {
    const std::time_t t = static_cast<std::time_t>(now + 8 * 3600);
    std::tm tm{};
    gmtime_r(&t, &tm);
    *year = tm.tm_year + 1900;
    *month = tm.tm_mon + 1;
    *day = tm.tm_mday;
}

}  // namespace

int AgeOn(const std::string& birthday, int64_t now) {
    int by = 0, bm = 0, bd = 0;
    if (birthday.empty() || std::sscanf(birthday.c_str(), "%d-%d-%d", &by, &bm, &bd) != 3) return -1;
    int y, m, d;
    ChinaDate(now, &y, &m, &d);
    int age = y - by;
    if (m < bm || (m == bm && d < bd)) --age;
    return age;
}

bool IsMinor(int birth_year, int birth_month, int64_t now) {
    if (birth_year <= 0) return false;
    int y, m, d;
    ChinaDate(now, &y, &m, &d);
    int age = y - birth_year;
    if (birth_month <= 0 || m <= birth_month) --age;
    return age < kMinorAge;
}

}  // namespace storecrm::members
