#include "app/demo_data.hpp"


#include <iostream>
#include <random>

#include <nlohmann/json.hpp>

#include "common/clock.hpp"
#include "common/sample_people.hpp"
#include "members/member_repository.hpp"
#include "staff/second_factor.hpp"
#include "staff/staff_service.hpp"

namespace storecrm::app {
namespace {

const char* const kEmailDomains[] = {"qq.com", "163.com", "126.com", "sina.com", "outlook.com", "gmail.com"};

struct DemoStaff {
    const char* username;
    const char* name;
    const char* role;
    std::vector<int> stores;  // indexes into the store list
};

}  // namespace

bool CreateDemoData(storage::Database& db, const security::FieldVault& vault, int member_count) {
    auto tx_result = db.Begin(storage::TxMode::kWrite);
    if (!tx_result.ok()) {
        std::cerr << "demo: " << tx_result.error().internal_detail << "\n";
        return false;
    }
    auto& tx = **tx_result;
    auto fail = [](const Error& e) {
        std::cerr << "demo data failed: " << e.message.key << " " << e.internal_detail;
        for (const auto& f : e.fields) std::cerr << " [" << f.field << ": " << f.message.key << "]";
        std::cerr << "\n";
        return false;
    };
    auto existing = tx.QueryOne("SELECT COUNT(*) FROM stores");
    if (!existing.ok()) return fail(existing.error());
    if ((**existing).Int(0) > 0) {
        std::cout << "Demo data already present; nothing to do.\n";
        return true;
    }
    if (auto s = staff::EnsureBuiltinRoles(tx); !s.ok()) return fail(s.error());

    const int64_t now = NowUnix();
    struct Store {
        const char* code;
        const char* name;
        const char* type;
        const char* region;
        const char* address;
    };
    const Store stores[] = {{"SH001", "上海南京路店", "direct", "华东", "上海市黄浦区南京东路 100 号"},
                            {"HZ001", "杭州西湖店", "franchise", "华东", "杭州市西湖区湖滨路 8 号"},
                            {"SZ001", "深圳万象城店", "direct", "华南", "深圳市罗湖区宝安南路 1881 号"}};
    std::vector<int64_t> store_ids;
    for (const auto& s : stores) {
        auto row = tx.QueryOne(
            "INSERT INTO stores (code, name, type, region, address, timezone, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, 'Asia/Shanghai', ?, ?) RETURNING id",
            {s.code, s.name, s.type, s.region, s.address, now, now});
        if (!row.ok()) return fail(row.error());
        store_ids.push_back((**row).Int(0));
    }

    const char* const kPassword = "Demo@2026";
    const std::vector<DemoStaff> staff_list = {
        {"admin", "总部管理员", "hq_admin", {}},
        {"east", "华东区域经理", "regional_manager", {0, 1}},
        {"manager_sh", "上海店长", "store_manager", {0}},
        {"cashier_sh", "上海收银员", "cashier", {0}},
        {"guide_sh", "上海导购", "guide", {0}},
        {"cashier_hz", "杭州收银员", "cashier", {1}},
        {"manager_sz", "深圳店长", "store_manager", {2}},
        {"guide_sz", "深圳导购", "guide", {2}},
        {"marketer", "营销专员", "marketer", {}},
        {"service", "客服专员", "customer_service", {}},
        {"analyst", "数据分析师", "analyst", {}},
    };
    std::vector<int64_t> guide_ids(store_ids.size(), 0);
    for (const auto& s : staff_list) {
        auto role = staff::RoleIdByCode(tx, s.role);
        if (!role.ok()) return fail(role.error());
        std::vector<int64_t> ids;
        for (int i : s.stores) ids.push_back(store_ids[i]);
        // Demo accounts are published sign-ins for trying the product, so they are not forced
        // through the first-sign-in password change.
        auto id = staff::CreateStaff(tx, {.username = s.username, .name = s.name, .role_id = *role, .store_ids = ids,
                                          .password = kPassword, .must_change_password = false});
        if (!id.ok()) return fail(id.error());
        if (std::string(s.role) == "guide") guide_ids[s.stores.front()] = *id;
    }

    auto tag_rows = tx.Query("SELECT id FROM tags ORDER BY id");
    if (!tag_rows.ok()) return fail(tag_rows.error());
    std::vector<int64_t> tag_ids;
    for (const auto& r : *tag_rows) tag_ids.push_back(r.Int(0));

    std::mt19937_64 rng(20261124);
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<uint64_t>(n)); };
    // Skewed towards common surnames: the square of a uniform draw favours low indexes.
    security::Principal system;
    system.kind = security::Principal::Kind::kSystem;
    system.name = "demo";
    members::MemberRepository repo(tx, vault);
    const char* const sources[] = {"walk_in", "walk_in", "walk_in", "online", "referral", "event"};
    std::vector<members::MemberRecord> created;
    for (int i = 0; i < member_count; ++i) {
        members::MemberRecord m;
        SamplePerson person = MakeSamplePerson(rng, static_cast<uint64_t>(i));
        m.name = person.name;
        m.gender = person.gender;
        m.phone = person.phone;
        m.birthday = person.birthday;
        if (pick(100) < 30) m.email = "user" + std::to_string(10000 + i) + "@" + kEmailDomains[pick(std::size(kEmailDomains))];
        if (pick(100) < 40) m.wechat_id = "wx_" + std::to_string(100000 + pick(900000));
        const int r = pick(100);
        m.category = r < 85 ? "regular" : r < 97 ? "vip" : "wholesale";
        const size_t store = static_cast<size_t>(pick(static_cast<int>(store_ids.size())));
        m.home_store_id = store_ids[store];
        m.source = sources[pick(std::size(sources))];
        if (guide_ids[store] && pick(100) < 60) m.guide_id = guide_ids[store];
        if (auto s = repo.Insert(m, system); !s.ok()) return fail(s.error());
        std::vector<int64_t> tags;
        for (int t = pick(4); t > 0; --t) tags.push_back(tag_ids[pick(static_cast<int>(tag_ids.size()))]);
        if (auto s = repo.AddTags(m.id, tags); !s.ok()) return fail(s.error());
        if (pick(100) < 55) {
            if (auto s = repo.RecordConsent(m.id, "sms", true, "demo", system); !s.ok()) return fail(s.error());
        }
        if (!m.email.empty() && pick(100) < 50) {
            if (auto s = repo.RecordConsent(m.id, "email", true, "demo", system); !s.ok()) return fail(s.error());
        }
        // Spread registrations over the last two years.
        const int64_t created_at = now - static_cast<int64_t>(pick(730)) * 86400 - pick(86400);
        if (auto s = tx.Exec("UPDATE members SET created_at = ?, updated_at = ? WHERE id = ?", {created_at, created_at, m.id});
            !s.ok()) {
            return fail(s.error());
        }
        if (i < 10) created.push_back(m);
    }
    // A few duplicates the way they happen at a till: the same person registered again with a
    // new phone number, so the duplicates page has something to merge.
    uint64_t next_index = static_cast<uint64_t>(member_count);
    for (const auto& original : created) {
        members::MemberRecord dup = original;
        dup.id = 0;
        dup.phone = SamplePhone(next_index++);
        dup.notes = "重复登记";
        if (auto s = repo.Insert(dup, system); !s.ok()) return fail(s.error());
    }
    // A demo is for trying things: its HQ admin signs in without a second factor (a new
    // database made by `init` requires one for HQ admins).
    if (auto s = staff::SetTotpRequiredRoles(tx, {}); !s.ok()) return fail(s.error());
    if (auto s = tx.Commit(); !s.ok()) return fail(s.error());
    tx_result->reset();
    if (auto s = db.RefreshStatistics(); !s.ok()) return fail(s.error());

    std::cout << "Demo chain created: 3 stores, " << staff_list.size() << " staff, " << member_count + created.size()
              << " members.\nDemo sign-ins (password " << kPassword << " for all):\n";
    for (const auto& s : staff_list) std::cout << "  " << s.username << "  (" << s.name << ")\n";
    return true;
}

}  // namespace storecrm::app
