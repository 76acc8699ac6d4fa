#include "security/permissions.hpp"

namespace storecrm::security {

const std::vector<PermissionInfo>& AllPermissions() {
    static const std::vector<PermissionInfo> permissions = {
        {"members.read", "members", "查看会员", "View members"},
        {"members.create", "members", "登记会员", "Register members"},
        {"members.update", "members", "编辑会员", "Edit members"},
        {"members.pii", "members", "查看完整个人信息", "See full personal data"},
        {"members.export", "members", "导出会员", "Export members"},
        {"members.merge", "members", "合并会员", "Merge members"},
        {"members.archive", "members", "归档会员", "Archive members"},
        {"members.anonymize", "members", "匿名化会员", "Anonymise members"},
        {"tags.manage", "members", "管理标签", "Manage tags"},
        {"custom_fields.manage", "members", "管理自定义字段", "Manage custom fields"},
        {"stores.read", "organisation", "查看门店", "View stores"},
        {"stores.manage", "organisation", "管理门店", "Manage stores"},
        {"staff.manage", "organisation", "管理员工", "Manage staff"},
        {"roles.manage", "organisation", "管理角色权限", "Manage roles"},
        {"products.read", "sales", "查看商品与库存", "View products and stock"},
        {"products.manage", "sales", "管理商品", "Manage products"},
        {"stock.manage", "sales", "调整库存", "Adjust and transfer stock"},
        {"sales.read", "sales", "查看交易", "View sales"},
        {"sales.create", "sales", "收银开单", "Ring up sales"},
        {"sales.refund", "sales", "退货退款", "Refund sales"},
        {"loyalty.manage", "loyalty", "管理等级、积分规则与券模板", "Manage tiers, points rules and coupon templates"},
        {"points.adjust", "loyalty", "手工调整积分", "Adjust points by hand"},
        {"coupons.issue", "loyalty", "发放与作废优惠券", "Issue and void coupons"},
        {"points.redeem", "loyalty", "积分兑换礼品", "Redeem gifts for points"},
        {"service.use", "service", "客户跟进、互动记录与我的待办", "Log interactions and work my tasks"},
        {"tasks.manage", "service", "分派任务与导购交接", "Assign tasks and hand over a guide's members"},
        {"complaints.handle", "service", "处理投诉", "Handle complaints"},
        {"service.manage", "service", "提醒与 SLA 设置", "Reminder settings and the SLA policy"},
        {"surveys.manage", "service", "管理问卷与查看结果", "Manage surveys and see results"},
        {"events.manage", "service", "管理会员活动", "Manage member events"},
        {"analytics.read", "analytics", "查看分析报表", "View analysis and reports"},
        {"segments.manage", "marketing", "客户分群与自动标签", "Build segments and tag rules"},
        {"campaigns.manage", "marketing", "创建与发送营销活动", "Create and send campaigns"},
        {"campaigns.approve", "marketing", "审批营销活动", "Approve campaigns"},
        {"marketing.settings", "marketing", "营销渠道、频次与免打扰设置", "Channels, caps and quiet hours"},
        {"webhooks.manage", "system", "管理 Webhook", "Manage webhooks"},
        {"targets.manage", "marketing", "设定营销目标", "Set targets"},
        {"messages.read", "system", "查看消息记录", "View the message log"},
        {"jobs.run", "system", "查看与运行定时任务", "View and run scheduled jobs"},
        {"api_tokens.manage", "system", "管理 API 令牌", "Manage API tokens"},
        {"audit.read", "system", "查看审计日志", "View the audit log"},
        {"backups.manage", "system", "备份与备份策略", "Back up and set the backup rule"},
        {"imports.run", "system", "批量导入", "Import files"},
        {"privacy.manage", "system", "隐私合规与数据保留", "Privacy and data retention"},
    };
    return permissions;
}

bool IsKnownPermission(std::string_view code) {
    for (const auto& p : AllPermissions()) {
        if (code == p.code) return true;
    }
    return false;
}

const std::vector<BuiltinRole>& BuiltinRoles() {
    static const std::vector<BuiltinRole> roles = [] {
        std::vector<std::string> all;
        for (const auto& p : AllPermissions()) all.emplace_back(p.code);
        return std::vector<BuiltinRole>{
            {"hq_admin", "总部管理员", true, all},
            {"regional_manager", "区域经理", false,
             {"members.read", "members.create", "members.update", "members.pii", "members.export", "members.merge",
              "members.archive", "stores.read", "audit.read", "products.read", "sales.read", "sales.refund", "service.use",
              "tasks.manage", "complaints.handle", "surveys.manage", "events.manage", "analytics.read",
              "segments.manage", "campaigns.manage", "campaigns.approve", "targets.manage"}},
            {"store_manager", "店长", false,
             {"members.read", "members.create", "members.update", "members.pii", "members.export", "members.merge",
              "members.archive", "tags.manage", "stores.read", "products.read", "stock.manage", "sales.read",
              "sales.create", "sales.refund", "points.adjust", "coupons.issue", "points.redeem", "service.use",
              "tasks.manage", "complaints.handle", "events.manage", "analytics.read", "segments.manage",
              "campaigns.manage"}},
            {"cashier", "收银员", false,
             {"members.read", "members.create", "stores.read", "products.read", "sales.read", "sales.create",
              "points.redeem", "service.use"}},
            {"guide", "导购", false,
             {"members.read", "members.create", "members.update", "members.pii", "stores.read", "products.read",
              "sales.read", "service.use"}},
            {"marketer", "营销", true,
             {"members.read", "tags.manage", "stores.read", "products.read", "sales.read", "loyalty.manage",
              "coupons.issue", "service.use", "surveys.manage", "events.manage", "analytics.read",
              "segments.manage", "campaigns.manage", "members.export"}},
            {"customer_service", "客服", true,
             {"members.read", "members.update", "members.pii", "stores.read", "sales.read", "points.adjust",
              "service.use", "complaints.handle"}},
            {"analyst", "分析", true, {"members.read", "stores.read", "products.read", "sales.read", "analytics.read"}},
        };
    }();
    return roles;
}

}  // namespace storecrm::security
