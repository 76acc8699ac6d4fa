#include "marketing/audience_index.hpp"


#include <algorithm>
#include <array>
#include <ctime>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>
#include <roaring/roaring.hh>

#include "analytics/sales_columns.hpp"
#include "common/clock.hpp"
#include "marketing/member_values.hpp"
#include "members/minors.hpp"

namespace storecrm::marketing {

// CRoaring 0.2 declares its C++ class in the global namespace.

struct MemberSet::Impl {
    Roaring bits;
};

MemberSet::MemberSet() : impl_(std::make_unique<Impl>()) {}
MemberSet::~MemberSet() = default;
MemberSet::MemberSet(MemberSet&&) noexcept = default;
MemberSet& MemberSet::operator=(MemberSet&&) noexcept = default;
uint64_t MemberSet::size() const { return impl_->bits.cardinality(); }
bool MemberSet::Contains(uint32_t id) const { return impl_->bits.contains(id); }

std::vector<uint32_t> MemberSet::Ids(uint64_t offset, uint64_t limit) const {
    std::vector<uint32_t> out;
    uint64_t i = 0;
    for (auto it = impl_->bits.begin(); it != impl_->bits.end() && out.size() < limit; ++it, ++i) {
        if (i >= offset) out.push_back(*it);
    }
    return out;
}

std::vector<uint32_t> MemberSet::IdsAfter(uint32_t after, uint64_t limit) const {
    std::vector<uint32_t> out;
    auto it = impl_->bits.begin();
    it.equalorlarger(after + 1);
    for (; it != impl_->bits.end() && out.size() < limit; ++it) out.push_back(*it);
    return out;
}

namespace {

using nlohmann::json;

constexpr int64_t kDay = 86400;
constexpr int64_t kFullReloadSeconds = 15 * 60;
constexpr int64_t kSettleSeconds = 5;
constexpr size_t kFollowLimit = 50000;  // more changed members than this: reload in full
constexpr const char* kChannels[] = {"sms", "email", "wechat"};

struct CouponEntry {
    uint32_t template_id;
    bool held;            // issued (not used, expired or voided)
    int64_t valid_until;
    int64_t used_at;      // 0: not used
};

struct Receipt {
    uint32_t campaign_id;
    int64_t at;
};

uint8_t CodeIndex(const std::vector<std::string>& codes, const std::string& code) {
    for (size_t i = 0; i < codes.size(); ++i) {
        if (codes[i] == code) return static_cast<uint8_t>(i + 1);
    }
    return 0;
}

// One source of "this member changed": a table read past its id watermark.
struct Source {
    const char* max_sql;      // the highest id of rows older than ? (the settle time)
    const char* changed_sql;  // id, member_id, time of rows with id > ?, by id
    int64_t watermark = 0;
};

void CustomValues(const json& value, std::vector<std::string>& out) {
    if (value.is_string()) out.push_back(value.get<std::string>());
    else if (value.is_boolean()) out.push_back(value.get<bool>() ? "true" : "false");
    else if (value.is_number()) out.push_back(value.dump());
    else if (value.is_array()) {
        for (const auto& v : value) CustomValues(v, out);
    }
}

}  // namespace

struct AudienceIndex::Data {
    uint32_t max_id = 0;
    std::vector<uint8_t> active;
    std::vector<uint32_t> store, tier, guide;
    std::vector<uint8_t> gender, category, source, birth_month;
    std::vector<int16_t> birth_year;
    std::vector<int64_t> created_at, points, total_spend, purchase_count, last_purchase;
    std::vector<uint8_t> rfm, lifecycle, value_group;  // index + 1 into the code lists; 0: no row
    std::vector<std::string> sources;
    std::unordered_map<uint32_t, Roaring> tags;
    std::unordered_map<uint32_t, std::vector<uint32_t>> member_tags;
    std::array<Roaring, 3> consent;
    std::unordered_map<uint32_t, std::vector<CouponEntry>> coupons;
    std::unordered_map<uint32_t, std::vector<Receipt>> receipts;
    std::unordered_map<uint32_t, int64_t> campaign_days;
    std::unordered_map<std::string, std::unordered_map<std::string, Roaring>> custom;
    std::unordered_map<uint32_t, std::string> custom_json;
    std::unordered_map<uint32_t, uint32_t> product_category, category_parent;

    std::vector<Source> sources_changed = {
        {"SELECT COALESCE(MAX(id), 0) FROM members WHERE created_at < ?",
         "SELECT id, id, created_at FROM members WHERE id > ? ORDER BY id LIMIT 50001"},
        {"SELECT COALESCE(MAX(id), 0) FROM member_history WHERE at < ?",
         "SELECT id, member_id, at FROM member_history WHERE id > ? ORDER BY id LIMIT 50001"},
        {"SELECT COALESCE(MAX(id), 0) FROM sales WHERE created_at < ?",
         "SELECT id, COALESCE(member_id, 0), created_at FROM sales WHERE id > ? ORDER BY id LIMIT 50001"},
        {"SELECT COALESCE(MAX(id), 0) FROM refunds WHERE created_at < ?",
         "SELECT r.id, COALESCE(s.member_id, 0), r.created_at FROM refunds r JOIN sales s ON s.id = r.sale_id "
         "WHERE r.id > ? ORDER BY r.id LIMIT 50001"},
        {"SELECT COALESCE(MAX(id), 0) FROM member_consents WHERE at < ?",
         "SELECT id, member_id, at FROM member_consents WHERE id > ? ORDER BY id LIMIT 50001"},
        {"SELECT COALESCE(MAX(id), 0) FROM coupons WHERE issued_at < ?",
         "SELECT id, member_id, issued_at FROM coupons WHERE id > ? ORDER BY id LIMIT 50001"},
        {"SELECT COALESCE(MAX(id), 0) FROM tier_changes WHERE created_at < ?",
         "SELECT id, member_id, created_at FROM tier_changes WHERE id > ? ORDER BY id LIMIT 50001"},
        {"SELECT COALESCE(MAX(id), 0) FROM points_ledger WHERE created_at < ?",
         "SELECT id, member_id, created_at FROM points_ledger WHERE id > ? ORDER BY id LIMIT 50001"},
        {"SELECT COALESCE(MAX(id), 0) FROM campaign_recipients WHERE created_at < ?",
         "SELECT id, member_id, created_at FROM campaign_recipients WHERE id > ? ORDER BY id LIMIT 50001"},
    };
    int64_t values_seen_at = 0;  // member_values rows updated at or after this are re-read
    int64_t epoch = -1;
    int64_t loaded_at = 0;

    void Grow(uint32_t id) {
        if (id < active.size()) return;
        const size_t n = std::max<size_t>(id + 1, active.size() + active.size() / 4);
        for (auto* v : {&active, &gender, &category, &source, &birth_month, &rfm, &lifecycle, &value_group}) v->resize(n, 0);
        for (auto* v : {&store, &tier, &guide}) v->resize(n, 0);
        birth_year.resize(n, 0);
        for (auto* v : {&created_at, &points, &total_spend, &purchase_count, &last_purchase}) v->resize(n, 0);
    }

    uint8_t SourceCode(const std::string& s) {
        for (size_t i = 0; i < sources.size(); ++i) {
            if (sources[i] == s) return static_cast<uint8_t>(i + 1);
        }
        if (sources.size() >= 250) return 0;
        sources.push_back(s);
        return static_cast<uint8_t>(sources.size());
    }

    // Takes a member out of every bitmap and side table before their rows are read again.
    void Forget(uint32_t id) {
        if (id < active.size()) active[id] = 0;
        if (auto it = member_tags.find(id); it != member_tags.end()) {
            for (uint32_t t : it->second) {
                if (auto b = tags.find(t); b != tags.end()) b->second.remove(id);
            }
            member_tags.erase(it);
        }
        for (auto& c : consent) c.remove(id);
        coupons.erase(id);
        receipts.erase(id);
        if (auto it = custom_json.find(id); it != custom_json.end()) {
            auto j = json::parse(it->second, nullptr, false);
            if (j.is_object()) {
                for (const auto& [key, value] : j.items()) {
                    std::vector<std::string> values;
                    CustomValues(value, values);
                    for (const auto& v : values) custom[key][v].remove(id);
                }
            }
            custom_json.erase(it);
        }
        if (id < rfm.size()) rfm[id] = lifecycle[id] = value_group[id] = 0;
    }

    // Reads the members matched by `filter` (" AND <col> IN (…)" or "") from every table.
    Status Read(storage::Transaction& tx, const std::string& member_filter, const std::string& fk_filter,
                const storage::Params& params) {
        auto rows = tx.Query(
            "SELECT id, status, home_store_id, tier_id, guide_id, gender, category, source, birth_year, birth_month, "
            "created_at, points_balance, total_spend, purchase_count, last_purchase_at, custom_fields FROM members "
            "WHERE 1 = 1" + member_filter,
            params);
        if (!rows.ok()) return rows.take_error();
        static const std::vector<std::string> genders = {"male", "female", "unknown"};
        static const std::vector<std::string> categories = {"regular", "vip", "wholesale"};
        for (const auto& r : *rows) {
            const auto id = static_cast<uint32_t>(r.Int(0));
            Grow(id);
            max_id = std::max(max_id, id);
            active[id] = r.Text(1) == "active" ? 1 : 0;
            store[id] = static_cast<uint32_t>(r.Int(2));
            tier[id] = static_cast<uint32_t>(r.OptInt(3).value_or(0));
            guide[id] = static_cast<uint32_t>(r.OptInt(4).value_or(0));
            gender[id] = CodeIndex(genders, r.Text(5));
            category[id] = CodeIndex(categories, r.Text(6));
            source[id] = SourceCode(r.Text(7));
            birth_year[id] = static_cast<int16_t>(r.OptInt(8).value_or(0));
            birth_month[id] = static_cast<uint8_t>(r.OptInt(9).value_or(0));
            created_at[id] = r.Int(10);
            points[id] = r.Int(11);
            total_spend[id] = r.Int(12);
            purchase_count[id] = r.Int(13);
            last_purchase[id] = r.OptInt(14).value_or(0);
            const std::string custom_text = r.Text(15);
            if (custom_text.size() > 2) {
                auto j = json::parse(custom_text, nullptr, false);
                if (j.is_object() && !j.empty()) {
                    for (const auto& [key, value] : j.items()) {
                        std::vector<std::string> values;
                        CustomValues(value, values);
                        for (const auto& v : values) custom[key][v].add(id);
                    }
                    custom_json[id] = custom_text;
                }
            }
        }
        auto tag_rows = tx.Query("SELECT member_id, tag_id FROM member_tags WHERE 1 = 1" + fk_filter, params);
        if (!tag_rows.ok()) return tag_rows.take_error();
        std::unordered_map<uint32_t, std::vector<uint32_t>> by_tag;
        for (const auto& r : *tag_rows) {
            const auto m = static_cast<uint32_t>(r.Int(0));
            const auto t = static_cast<uint32_t>(r.Int(1));
            by_tag[t].push_back(m);
            member_tags[m].push_back(t);
        }
        for (auto& [t, ids] : by_tag) tags[t].addMany(ids.size(), ids.data());

        // The consent ledger: the newest row per member and channel for marketing is in force.
        auto consent_rows = tx.Query(
            "SELECT member_id, channel, granted FROM member_consents WHERE purpose = 'marketing'" + fk_filter + " ORDER BY id",
            params);
        if (!consent_rows.ok()) return consent_rows.take_error();
        for (const auto& r : *consent_rows) {
            const auto m = static_cast<uint32_t>(r.Int(0));
            const std::string ch = r.Text(1);
            for (size_t c = 0; c < 3; ++c) {
                if (ch != kChannels[c]) continue;
                if (r.Int(2)) consent[c].add(m);
                else consent[c].remove(m);
            }
        }
        auto coupon_rows = tx.Query(
            "SELECT member_id, template_id, status, valid_until, used_at FROM coupons WHERE 1 = 1" + fk_filter, params);
        if (!coupon_rows.ok()) return coupon_rows.take_error();
        for (const auto& r : *coupon_rows) {
            coupons[static_cast<uint32_t>(r.Int(0))].push_back(
                {static_cast<uint32_t>(r.Int(1)), r.Text(2) == "issued", r.Int(3), r.OptInt(4).value_or(0)});
        }
        auto value_rows = tx.Query("SELECT member_id, rfm_class, lifecycle, value_group FROM member_values WHERE 1 = 1" +
                                       fk_filter,
                                   params);
        if (!value_rows.ok()) return value_rows.take_error();
        for (const auto& r : *value_rows) {
            const auto m = static_cast<uint32_t>(r.Int(0));
            if (m >= rfm.size()) continue;
            rfm[m] = CodeIndex(RfmClassCodes(), r.Text(1));
            lifecycle[m] = CodeIndex(LifecycleCodes(), r.Text(2));
            value_group[m] = CodeIndex(ValueGroupCodes(), r.Text(3));
        }
        auto receipt_rows = tx.Query(
            "SELECT member_id, campaign_id, created_at FROM campaign_recipients WHERE outcome = 'queued'" + fk_filter, params);
        if (!receipt_rows.ok()) return receipt_rows.take_error();
        for (const auto& r : *receipt_rows) {
            receipts[static_cast<uint32_t>(r.Int(0))].push_back({static_cast<uint32_t>(r.Int(1)), r.Int(2)});
        }
        return Ok();
    }

    Status ReadCatalogue(storage::Transaction& tx) {
        auto products = tx.Query("SELECT id, category_id FROM products");
        if (!products.ok()) return products.take_error();
        product_category.clear();
        for (const auto& r : *products) product_category[static_cast<uint32_t>(r.Int(0))] = static_cast<uint32_t>(r.OptInt(1).value_or(0));
        auto cats = tx.Query("SELECT id, parent_id FROM product_categories");
        if (!cats.ok()) return cats.take_error();
        category_parent.clear();
        for (const auto& r : *cats) category_parent[static_cast<uint32_t>(r.Int(0))] = static_cast<uint32_t>(r.OptInt(1).value_or(0));
        auto campaigns = tx.Query("SELECT id, result_days FROM campaigns");
        if (!campaigns.ok()) return campaigns.take_error();
        campaign_days.clear();
        for (const auto& r : *campaigns) campaign_days[static_cast<uint32_t>(r.Int(0))] = r.Int(1);
        return Ok();
    }
};

AudienceIndex::AudienceIndex() = default;
AudienceIndex::~AudienceIndex() = default;

size_t AudienceIndex::members() const {
    std::shared_lock lock(mutex_);
    return data_ ? data_->max_id : 0;
}

void AudienceIndex::Invalidate() {
    std::lock_guard one(catch_up_);
    std::unique_lock lock(mutex_);
    data_.reset();
}

Status AudienceIndex::CatchUp(storage::Database& db) {
    std::lock_guard one(catch_up_);
    int64_t epoch = 0;
    {
        auto tx = db.Begin(storage::TxMode::kRead);
        if (!tx.ok()) return tx.take_error();
        auto row = (*tx)->QueryOne("SELECT value FROM sequences WHERE name = 'member_index.epoch'");
        if (!row.ok()) return row.take_error();
        epoch = row->has_value() ? (*row)->Int(0) : 0;
    }
    bool full = false;
    {
        std::shared_lock lock(mutex_);
        full = !data_ || data_->epoch != epoch || NowUnix() - data_->loaded_at > kFullReloadSeconds;
    }
    if (full) return Load(db);
    return Follow(db);
}

Status AudienceIndex::Load(storage::Database& db) {
    auto fresh = std::make_unique<Data>();
    auto tx = db.Begin(storage::TxMode::kRead);
    if (!tx.ok()) return tx.take_error();
    auto epoch = (*tx)->QueryOne("SELECT value FROM sequences WHERE name = 'member_index.epoch'");
    if (!epoch.ok()) return epoch.take_error();
    fresh->epoch = epoch->has_value() ? (*epoch)->Int(0) : 0;
    fresh->loaded_at = NowUnix();
    // Watermarks first: whatever commits while we read is followed on the next catch-up. On
    // PostgreSQL ids commit out of order, so the watermark covers only rows a few seconds old.
    const int64_t settled = db.dialect() == storage::Dialect::kPostgres ? fresh->loaded_at - kSettleSeconds : INT64_MAX;
    for (auto& s : fresh->sources_changed) {
        auto row = (*tx)->QueryOne(s.max_sql, {settled});
        if (!row.ok()) return row.take_error();
        s.watermark = (*row)->Int(0);
    }
    fresh->values_seen_at = fresh->loaded_at - kSettleSeconds;
    STORECRM_TRY(fresh->Read(**tx, "", "", {}));
    STORECRM_TRY(fresh->ReadCatalogue(**tx));
    for (auto& [t, b] : fresh->tags) b.runOptimize();
    std::unique_lock lock(mutex_);
    data_ = std::move(fresh);
    return Ok();
}

Status AudienceIndex::Follow(storage::Database& db) {
    auto tx = db.Begin(storage::TxMode::kRead);
    if (!tx.ok()) return tx.take_error();
    const int64_t now = NowUnix();
    const bool settle = db.dialect() == storage::Dialect::kPostgres;
    std::unordered_set<uint32_t> dirty;
    std::vector<int64_t> watermarks;
    int64_t values_seen_at = 0;
    {
        std::shared_lock lock(mutex_);
        for (const auto& s : data_->sources_changed) watermarks.push_back(s.watermark);
        values_seen_at = data_->values_seen_at;
    }
    bool too_many = false;
    for (size_t i = 0; i < watermarks.size() && !too_many; ++i) {
        auto rows = (*tx)->Query(data_->sources_changed[i].changed_sql, {watermarks[i]});
        if (!rows.ok()) return rows.take_error();
        too_many = rows->size() > kFollowLimit;
        bool advancing = true;
        for (const auto& r : *rows) {
            if (r.Int(1) > 0) dirty.insert(static_cast<uint32_t>(r.Int(1)));
            // The watermark passes only rows older than a few seconds on PostgreSQL, so a
            // slower transaction's smaller id is still read next time.
            if (advancing && (!settle || r.Int(2) < now - kSettleSeconds)) watermarks[i] = r.Int(0);
            else advancing = false;
        }
    }
    if (!too_many) {
        auto values = (*tx)->Query("SELECT member_id FROM member_values WHERE updated_at >= ?", {values_seen_at});
        if (!values.ok()) return values.take_error();
        too_many = values->size() > kFollowLimit;
        for (const auto& r : *values) dirty.insert(static_cast<uint32_t>(r.Int(0)));
    }
    if (too_many || dirty.size() > kFollowLimit) {
        (*tx).reset();  // one transaction per thread at a time
        return Load(db);
    }

    std::unique_lock lock(mutex_);
    Data& d = *data_;
    for (size_t i = 0; i < watermarks.size(); ++i) d.sources_changed[i].watermark = watermarks[i];
    d.values_seen_at = now - kSettleSeconds;
    if (dirty.empty()) return Ok();
    STORECRM_TRY(d.ReadCatalogue(**tx));
    std::vector<uint32_t> ids(dirty.begin(), dirty.end());
    std::sort(ids.begin(), ids.end());
    for (uint32_t id : ids) d.Forget(id);
    constexpr size_t kChunk = 512;
    for (size_t start = 0; start < ids.size(); start += kChunk) {
        storage::Params params;
        const std::string in = storage::InList(ids, start, start + kChunk, params);
        STORECRM_TRY(d.Read(**tx, " AND id IN (" + in + ")", " AND member_id IN (" + in + ")", params));
    }
    return Ok();
}

// ---- Evaluation ----

namespace {

struct Evaluator {
    const AudienceIndex::Data& d;
    const analytics::SalesColumns* sales;
    int64_t now;
    Roaring universe;

    template <typename Pred>
    Roaring Scan(Pred pred) const {
        std::vector<uint32_t> ids;
        for (uint32_t id = 1; id <= d.max_id && id < d.active.size(); ++id) {
            if (d.active[id] && pred(id)) ids.push_back(id);
        }
        Roaring out;
        out.addMany(ids.size(), ids.data());
        return out;
    }

    static bool InIds(const Condition& c, int64_t v) {
        return std::find(c.ids.begin(), c.ids.end(), v) != c.ids.end();
    }
    static bool InNumber(const Condition& c, int64_t v) { return v >= c.low && v <= c.high; }

    Roaring Choice(const Condition& c, const std::vector<uint32_t>& column) const {
        const bool negate = c.op == "not_in";
        return Scan([&](uint32_t id) { return InIds(c, column[id]) != negate; });
    }
    Roaring Codes(const Condition& c, const std::vector<uint8_t>& column, const std::vector<std::string>& codes,
                  const std::string& missing) const {
        std::vector<uint8_t> want(256, 0);
        for (const auto& code : c.codes) {
            const uint8_t i = CodeIndex(codes, code);
            if (i) want[i] = 1;
            if (code == missing) want[0] = 1;
        }
        const bool negate = c.op == "not_in";
        return Scan([&](uint32_t id) { return (want[column[id]] != 0) != negate; });
    }

    uint16_t FromDay(int days) const {
        if (days <= 0) return 0;
        const uint16_t today = analytics::DayOf(now);
        return today >= days - 1 ? static_cast<uint16_t>(today - (days - 1)) : 0;
    }

    // Spend (fen, refunds deducted) and purchases per member in the window, from the columns.
    void Window(int days, std::vector<int64_t>* spend, std::vector<int32_t>* purchases) const {
        if (spend) spend->assign(d.max_id + 1, 0);
        if (purchases) purchases->assign(d.max_id + 1, 0);
        if (!sales) return;
        const uint16_t from = FromDay(days);
        for (size_t i = 0; i < sales->sales(); ++i) {
            const uint32_t m = sales->sale_member[i];
            if (m == 0 || m > d.max_id || sales->sale_day[i] < from) continue;
            if (spend) {
                for (uint32_t l = sales->sale_first_line[i], end = sales->LineEnd(i); l < end; ++l) {
                    (*spend)[m] += sales->line_amount[l];
                }
            }
            if (purchases && !sales->sale_refund[i]) (*purchases)[m] += 1;
        }
    }

    Roaring BoughtCategory(const Condition& c) const {
        std::unordered_set<uint32_t> wanted(c.ids.begin(), c.ids.end());
        auto under = [&](uint32_t cat) {
            for (int depth = 0; cat != 0 && depth < 16; ++depth) {
                if (wanted.count(cat)) return true;
                auto it = d.category_parent.find(cat);
                cat = it == d.category_parent.end() ? 0 : it->second;
            }
            return false;
        };
        std::vector<uint8_t> product_ok;
        for (const auto& [p, cat] : d.product_category) {
            if (p >= product_ok.size()) product_ok.resize(p + 1, 0);
            product_ok[p] = under(cat) ? 1 : 0;
        }
        std::vector<uint8_t> bought(d.max_id + 1, 0);
        if (sales) {
            const uint16_t from = FromDay(c.days);
            for (size_t i = 0; i < sales->sales(); ++i) {
                const uint32_t m = sales->sale_member[i];
                if (m == 0 || m > d.max_id || bought[m] || sales->sale_refund[i] || sales->sale_day[i] < from) continue;
                for (uint32_t l = sales->sale_first_line[i], end = sales->LineEnd(i); l < end; ++l) {
                    const uint32_t p = sales->line_product[l];
                    if (p < product_ok.size() && product_ok[p]) {
                        bought[m] = 1;
                        break;
                    }
                }
            }
        }
        const bool negate = c.op == "not_in";
        return Scan([&](uint32_t id) { return (bought[id] != 0) != negate; });
    }

    Roaring Coupons(const Condition& c, bool used) const {
        const int64_t since = c.days > 0 ? now - c.days * kDay : 0;
        std::vector<uint32_t> ids;
        for (const auto& [m, list] : d.coupons) {
            for (const auto& e : list) {
                if (!InIds(c, e.template_id)) continue;
                const bool hit = used ? (e.used_at > 0 && e.used_at >= since) : (e.held && e.valid_until > now);
                if (hit) {
                    ids.push_back(m);
                    break;
                }
            }
        }
        Roaring out;
        out.addMany(ids.size(), ids.data());
        return c.op == "not_in" ? universe - out : out;
    }

    Roaring Campaigns(const Condition& c, bool responded) const {
        std::vector<uint32_t> ids;
        // responded: a purchase within the campaign's result days after it was sent.
        std::unordered_map<uint32_t, std::vector<std::pair<uint16_t, uint16_t>>> windows;
        for (const auto& [m, list] : d.receipts) {
            for (const auto& r : list) {
                if (!InIds(c, r.campaign_id)) continue;
                if (!responded) {
                    ids.push_back(m);
                    break;
                }
                auto days = d.campaign_days.find(r.campaign_id);
                const int64_t span = days == d.campaign_days.end() ? 14 : days->second;
                windows[m].push_back({analytics::DayOf(r.at), static_cast<uint16_t>(analytics::DayOf(r.at) + span)});
            }
        }
        if (responded && sales) {
            std::unordered_set<uint32_t> hit;
            for (size_t i = 0; i < sales->sales(); ++i) {
                if (sales->sale_refund[i]) continue;
                auto it = windows.find(sales->sale_member[i]);
                if (it == windows.end() || hit.count(it->first)) continue;
                for (const auto& [from, to] : it->second) {
                    if (sales->sale_day[i] >= from && sales->sale_day[i] <= to) {
                        hit.insert(it->first);
                        break;
                    }
                }
            }
            ids.assign(hit.begin(), hit.end());
            std::sort(ids.begin(), ids.end());
        }
        Roaring out;
        out.addMany(ids.size(), ids.data());
        return c.op == "not_in" ? universe - out : out;
    }

    Roaring Match(const marketing::Condition& c) const {
        const std::string& f = c.field;
        if (f == "store") return Choice(c, d.store);
        if (f == "tier") return Choice(c, d.tier);
        if (f == "guide") return Choice(c, d.guide);
        if (f == "birth_month") {
            const bool negate = c.op == "not_in";
            return Scan([&](uint32_t id) { return InIds(c, d.birth_month[id]) != negate; });
        }
        if (f == "tag") {
            Roaring any;
            bool first = true;
            for (int64_t t : c.ids) {
                auto it = d.tags.find(static_cast<uint32_t>(t));
                const Roaring empty;
                const Roaring& b = it == d.tags.end() ? empty : it->second;
                if (c.op == "all") {
                    any = first ? b : (any & b);
                    first = false;
                } else {
                    any |= b;
                }
            }
            return c.op == "not_in" ? universe - any : any;
        }
        if (f == "consent") {
            Roaring any;
            for (const auto& code : c.codes) {
                for (size_t i = 0; i < 3; ++i) {
                    if (code == kChannels[i]) any |= d.consent[i];
                }
            }
            return c.op == "not_in" ? universe - any : any;
        }
        if (f == "gender") return Codes(c, d.gender, {"male", "female", "unknown"}, "");
        if (f == "member_category") return Codes(c, d.category, {"regular", "vip", "wholesale"}, "");
        if (f == "source") return Codes(c, d.source, d.sources, "");
        if (f == "rfm_class") return Codes(c, d.rfm, RfmClassCodes(), "none");
        if (f == "lifecycle") return Codes(c, d.lifecycle, LifecycleCodes(), "prospect");
        if (f == "value_group") return Codes(c, d.value_group, ValueGroupCodes(), "prospect");
        if (f == "bought_category") return BoughtCategory(c);
        if (f == "coupon_held") return Coupons(c, false);
        if (f == "coupon_used") return Coupons(c, true);
        if (f == "campaign_received") return Campaigns(c, false);
        if (f == "campaign_responded") return Campaigns(c, true);
        if (f.rfind("custom.", 0) == 0) {
            Roaring any;
            auto key = d.custom.find(f.substr(7));
            if (key != d.custom.end()) {
                for (const auto& code : c.codes) {
                    if (auto v = key->second.find(code); v != key->second.end()) any |= v->second;
                }
            }
            return c.op == "not_in" ? universe - any : any;
        }
        if (f == "age") {
            std::time_t t = static_cast<std::time_t>(now + 8 * 3600);
            std::tm tm{};
            gmtime_r(&t, &tm);
            const int year = tm.tm_year + 1900;
            return Scan([&](uint32_t id) { return d.birth_year[id] > 0 && InNumber(c, year - d.birth_year[id]); });
        }
        if (f == "joined_days") return Scan([&](uint32_t id) { return InNumber(c, (now - d.created_at[id]) / kDay); });
        if (f == "points") return Scan([&](uint32_t id) { return InNumber(c, d.points[id]); });
        if (f == "total_spend") return Scan([&](uint32_t id) { return InNumber(c, d.total_spend[id]); });
        if (f == "last_purchase_days") {
            return Scan([&](uint32_t id) {
                const int64_t days = d.last_purchase[id] == 0 ? INT64_MAX / 2 : (now - d.last_purchase[id]) / kDay;
                return InNumber(c, days);
            });
        }
        if (f == "spend" || f == "purchases") {
            if (c.days == 0) {
                const auto& column = f == "spend" ? d.total_spend : d.purchase_count;
                return Scan([&](uint32_t id) { return InNumber(c, column[id]); });
            }
            std::vector<int64_t> spend;
            std::vector<int32_t> purchases;
            if (f == "spend") Window(c.days, &spend, nullptr);
            else Window(c.days, nullptr, &purchases);
            return Scan([&](uint32_t id) { return InNumber(c, f == "spend" ? spend[id] : purchases[id]); });
        }
        return Roaring();
    }

    Roaring Group(const RuleGroup& g) const {
        if (g.conditions.empty() && g.groups.empty()) return universe;
        if (g.match == "all") {
            Roaring out = universe;
            for (const auto& c : g.conditions) out &= Match(c);
            for (const auto& sub : g.groups) out &= Group(sub);
            return out;
        }
        Roaring any;
        for (const auto& c : g.conditions) any |= Match(c);
        for (const auto& sub : g.groups) any |= Group(sub);
        return g.match == "none" ? universe - any : (any & universe);
    }
};

}  // namespace

Result<MemberSet> AudienceIndex::Evaluate(const RuleGroup& rules, const AudienceScope& scope,
                                          analytics::SalesStore* sales) const {
    std::shared_lock lock(mutex_);
    if (!data_) return Error::Busy("audience index not loaded");
    auto run = [&](const analytics::SalesColumns* columns) {
        Evaluator e{*data_, columns, scope.now, {}};
        std::unordered_set<int64_t> stores;
        if (scope.stores) stores.insert(scope.stores->begin(), scope.stores->end());
        // Members under 14 are never in a segment (no marketing, no profiling).
        e.universe = e.Scan([&](uint32_t id) {
            return (!scope.stores || stores.count(data_->store[id]) > 0) &&
                   !members::IsMinor(data_->birth_year[id], data_->birth_month[id], scope.now);
        });
        MemberSet out;
        out.impl().bits = e.Group(rules);
        return out;
    };
    if (!sales) return run(nullptr);
    return sales->Read([&](const analytics::SalesColumns& c) { return run(&c); });
}

}  // namespace storecrm::marketing
