#include "service/surveys.hpp"

#include <sodium.h>

namespace storecrm::service {

std::string SurveyToken(const security::FieldVault& vault, int64_t link_id) {
    const std::string id = std::to_string(link_id);
    return id + "." + security::SignatureHex(vault, "survey_link", id);
}

std::optional<int64_t> SurveyLinkIdFromToken(const security::FieldVault& vault, const std::string& token) {
    const auto dot = token.find('.');
    if (dot == std::string::npos || dot == 0 || dot > 18) return std::nullopt;
    const std::string id = token.substr(0, dot);
    if (id.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
    const std::string expected = security::SignatureHex(vault, "survey_link", id);
    const std::string given = token.substr(dot + 1);
    if (given.size() != expected.size() || sodium_memcmp(given.data(), expected.data(), given.size()) != 0) {
        return std::nullopt;
    }
    return std::stoll(id);
}

Result<int64_t> CreateSurveyLink(storage::Transaction& tx, const SurveyLinkRequest& r, int64_t now) {
    auto row = tx.QueryOne(
        "INSERT INTO survey_links (survey_id, member_id, store_id, staff_id, sale_id, event_id, created_at, expires_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {r.survey_id, r.member_id, r.store_id, r.staff_id, r.sale_id, r.event_id, now, now + kSurveyLinkLifetimeSeconds});
    if (!row.ok()) return row.take_error();
    return (*row)->Int(0);
}

Result<int64_t> SendAfterSaleSurveys(storage::Transaction& tx, const security::FieldVault& vault, int64_t now) {
    auto mark = tx.QueryOne("SELECT value FROM sequences WHERE name = 'surveys.after_sale_watermark'");
    if (!mark.ok()) return mark.take_error();
    const int64_t watermark = mark->has_value() ? (*mark)->Int(0) : 0;
    auto survey = tx.QueryOne(
        "SELECT id, title FROM surveys WHERE after_sale = 1 AND status = 'active' ORDER BY id DESC LIMIT 1");
    if (!survey.ok()) return survey.take_error();
    int64_t made = 0;
    int64_t last = watermark;
    if (!survey->has_value()) {
        // Nothing to send: move past today's sales so a survey switched on later starts fresh.
        auto top = tx.QueryOne("SELECT COALESCE(MAX(id), 0) FROM sales");
        if (!top.ok()) return top.take_error();
        last = (*top)->Int(0);
    } else {
        const int64_t survey_id = (**survey).Int(0);
        auto sales = tx.Query(
            "SELECT id, member_id, store_id, COALESCE(guide_id, cashier_id) FROM sales WHERE id > ? ORDER BY id LIMIT 2000",
            {watermark});
        if (!sales.ok()) return sales.take_error();
        for (const auto& s : *sales) {
            last = s.Int(0);
            if (s.IsNull(1)) continue;
            auto link = CreateSurveyLink(tx,
                                         {.survey_id = survey_id, .member_id = s.Int(1), .store_id = s.Int(2),
                                          .staff_id = s.IsNull(3) ? std::nullopt : std::optional<int64_t>(s.Int(3)),
                                          .sale_id = s.Int(0)},
                                         now);
            if (!link.ok()) return link.take_error();
            STORECRM_TRY(tx.Exec(
                "INSERT INTO messages (member_id, channel, purpose, body, created_at) VALUES (?, 'sms', 'survey', ?, ?)",
                {s.Int(1), "感谢光临！请花一分钟为本次服务打分：/s/" + SurveyToken(vault, *link), now}));
            ++made;
        }
    }
    if (last != watermark) {
        STORECRM_TRY(tx.Exec("UPDATE sequences SET value = ? WHERE name = 'surveys.after_sale_watermark'", {last}));
    }
    return made;
}

}  // namespace storecrm::service
