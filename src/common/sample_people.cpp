#include "common/sample_people.hpp"

#include <cstdio>
#include <iterator>

namespace storecrm {
namespace {

// Surnames roughly in order of frequency; the first ones are drawn more often.
const char* const kSurnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高",
    "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁",
    "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔",
    "钟", "谭", "陆", "汪", "范", "金", "石", "廖", "贾", "夏", "韦", "付", "方", "白", "邹", "孟", "熊", "秦",
    "邱", "江", "尹", "薛", "闫", "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵"};
const char* const kMaleGiven[] = {"伟", "强", "磊", "军", "洋", "勇", "杰", "涛", "明", "超", "刚", "平", "辉", "鹏",
                                  "华", "飞", "鑫", "波", "斌", "宇", "浩", "凯", "健", "俊", "帆", "帅", "旭", "宁",
                                  "龙", "林", "国", "建", "志", "文", "博", "子", "晨", "轩", "然", "嘉"};
const char* const kFemaleGiven[] = {"芳", "娜", "敏", "静", "丽", "艳", "娟", "霞", "秀", "玲", "燕", "婷", "雪", "慧",
                                    "琳", "颖", "倩", "欣", "梅", "莉", "晶", "洁", "佳", "悦", "诗", "雨", "思", "梦",
                                    "怡", "萱", "瑶", "琪", "妍", "彤", "璐", "雅", "馨", "可", "冰", "月"};
const char* const kPrefixes[] = {"138", "139", "135", "136", "137", "150", "151", "152", "158", "159", "186", "187",
                                 "188", "130", "131", "132", "155", "156", "185", "133", "153", "180", "189", "177"};

}  // namespace

std::string SamplePhone(uint64_t index) {
    // A prefix and 8 digits derived from the index by a bijection (48271 is coprime with 10^8),
    // so numbers look random yet never collide for distinct indexes below 10^8.
    const uint64_t scrambled = (index * 48271u + 12345u) % 100000000u;
    char phone[20];
    std::snprintf(phone, sizeof phone, "+86%s%08llu", kPrefixes[index % std::size(kPrefixes)],
                  static_cast<unsigned long long>(scrambled));
    return phone;
}

SamplePerson MakeSamplePerson(std::mt19937_64& rng, uint64_t index) {
    auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
    SamplePerson p;
    const bool male = pick(100) < 42;
    p.gender = male ? "male" : "female";
    // Skewed towards common surnames: the square of a uniform draw favours low indexes.
    const double u = std::uniform_real_distribution<double>(0, 1)(rng);
    p.name = kSurnames[static_cast<size_t>(u * u * std::size(kSurnames))];
    const int given = pick(100) < 65 ? 2 : 1;
    for (int g = 0; g < given; ++g) {
        p.name += male ? kMaleGiven[pick(std::size(kMaleGiven))] : kFemaleGiven[pick(std::size(kFemaleGiven))];
    }
    p.phone = SamplePhone(index);
    char birthday[11];
    std::snprintf(birthday, sizeof birthday, "%04d-%02d-%02d", 1960 + static_cast<int>(pick(46)),
                  1 + static_cast<int>(pick(12)), 1 + static_cast<int>(pick(28)));
    p.birthday = birthday;
    return p;
}

}  // namespace storecrm
