#include "common/messages.hpp"

#include <map>

namespace storecrm {
namespace {

struct Texts {
    const char* zh;
    const char* en;
};

const std::map<std::string_view, Texts>& Catalog() {
    static const std::map<std::string_view, Texts> catalog = {
        // Errors (top-level messages).
        {"error.validation_failed", {"提交的内容有误，请检查标出的字段", "Some fields are invalid"}},
        {"error.invalid_json", {"请求内容不是有效的 JSON", "The request body is not valid JSON"}},
        {"error.invalid_utf8", {"请求内容包含无效的 UTF-8 字符", "The request contains invalid UTF-8"}},
        {"error.unauthenticated", {"请先登录", "Please sign in"}},
        {"error.bad_credentials", {"用户名或密码错误", "Wrong username or password"}},
        {"error.totp_required", {"请输入验证器 App 上的 6 位动态码", "Enter the 6-digit code from your authenticator app"}},
        {"error.totp_invalid", {"动态码不正确或已使用", "The code is wrong or was already used"}},
        {"error.totp_enrolment_required", {"您的角色要求开启两步验证，请先完成设置", "Your role requires two-factor sign-in: set it up first"}},
        {"error.storage_full", {"服务器磁盘已满，本次操作未保存，请联系管理员", "The server's disk is full; nothing was saved. Tell your administrator"}},
        {"error.backup_running", {"正在备份，请稍后再试", "A backup is already running; try again shortly"}},
        {"error.restore_target_exists", {"目标数据库已有数据；确认覆盖请加 --force", "The target database is not empty; add --force to replace it"}},
        {"field.not_a_workbook", {"无法读取该文件：请上传 UTF-8/GBK 编码的 CSV 或 Excel (.xlsx) 文件", "Cannot read the file: upload a CSV (UTF-8 or GBK) or an Excel .xlsx file"}},
        {"field.missing_column", {"文件缺少列：{column}", "The file lacks the column {column}"}},
        {"field.no_rows", {"文件只有表头，没有数据行", "The file has a header but no rows"}},
        {"field.guardian_required", {"未满 {age} 周岁：需填写监护人信息并取得其同意", "Under {age}: a guardian's details and consent are required"}},
        {"field.guardian_consent_required", {"需监护人同意后方可登记", "The guardian must consent"}},
        {"import.invalid_time", {"时间应为 2026-11-03 14:05（门店当地时间）或以 Z 结尾的 UTC 时间", "Use 2026-11-03 14:05 (store time) or a UTC time ending in Z"}},
        {"import.history_problem", {"问题：{reason}", "{reason}"}},
        {"import.history_no_dry_run", {"历史导入不支持仅校验：它会跳过并报告错误行，可安全重复导入", "A history import has no dry run: it skips and reports bad rows, and can be run again safely"}},
        {"import.history_csv_only", {"历史导入需上传 CSV 文件（Online Retail 格式）", "A history import takes a CSV file in the Online Retail layout"}},
        {"import.receipt_rows_disagree", {"同一单号的各行时间、会员或支付方式不一致", "Rows of one receipt disagree on time, member or payment"}},
        {"field.unknown_role", {"没有这个角色", "No such role"}},
        {"field.totp_code_wrong", {"动态码不正确", "The code does not match"}},
        {"field.totp_setup_first", {"请先生成密钥再输入动态码", "Start the setup first, then enter a code"}},
        {"error.totp_required_by_role", {"您的角色要求开启两步验证，不能关闭", "Your role requires two-factor sign-in; it cannot be turned off"}},
        {"error.forbidden", {"没有权限执行此操作", "You do not have permission to do this"}},
        {"error.password_change_required", {"请先修改初始密码", "Please change your initial password first"}},
        {"error.csrf_failed", {"安全校验失败，请刷新页面后重试", "Security check failed; reload the page and try again"}},
        {"error.not_found", {"记录不存在或无权访问", "Not found"}},
        {"error.route_not_found", {"接口不存在", "No such API route"}},
        {"error.method_not_allowed", {"不支持该请求方法", "Method not allowed"}},
        {"error.version_conflict", {"该记录已被他人修改，请刷新后再试", "Someone else changed this record; reload and try again"}},
        {"error.conflict", {"与已有记录冲突", "Conflicts with an existing record"}},
        {"error.payload_too_large", {"请求内容过大（上限 {max}）", "The request body is too large (limit {max})"}},
        {"error.account_locked", {"密码错误次数过多，账号已锁定，请 {minutes} 分钟后再试或联系管理员", "Too many failed attempts; the account is locked for {minutes} minutes or until an admin unlocks it"}},
        {"error.account_disabled", {"账号已停用", "This account is disabled"}},
        {"error.rate_limited", {"尝试过于频繁，请稍后再试", "Too many attempts; try again later"}},
        {"error.busy", {"系统繁忙，请稍后重试", "The system is busy; try again shortly"}},
        {"error.internal", {"系统内部错误", "Internal error"}},
        {"error.member_merged", {"该会员已合并到其他会员", "This member was merged into another"}},
        {"error.member_not_active", {"该会员不是正常状态，不能执行此操作", "This member is not active"}},
        {"error.confirm_required", {"请确认此操作", "Please confirm this action"}},
        // Sales, catalogue and loyalty.
        {"error.idempotency_key_required", {"缺少 Idempotency-Key 请求头", "The Idempotency-Key header is required"}},
        {"error.idempotency_key_reused", {"该 Idempotency-Key 已用于另一笔不同的请求", "This Idempotency-Key was used for a different request"}},
        {"error.idempotency_in_progress", {"相同 Idempotency-Key 的请求正在处理中，请稍后重试", "A request with this Idempotency-Key is still being processed; retry shortly"}},
        {"sale.no_lines", {"至少需要一件商品", "Add at least one item"}},
        {"sale.sku_or_barcode", {"商品编码和条码只填一个", "Send either sku or barcode, not both"}},
        {"sale.discount_above_price", {"折扣不能超过商品金额", "The discount cannot exceed the line amount"}},
        {"sale.payments_mismatch", {"支付合计 {paid} 元与应付 {due} 元不符", "Payments add up to {paid} but {due} is due"}},
        {"sale.points_payment_not_allowed", {"积分抵现请用 points_redeemed 提交", "Send points as cash offset in points_redeemed"}},
        {"sale.member_required", {"使用优惠券或积分需要会员", "Coupons and points need a member"}},
        {"sale.product_inactive", {"商品已停售", "This product is not on sale"}},
        {"sale.receipt_no_taken", {"该终端的小票号已存在", "This receipt number already exists for the terminal"}},
        {"sale.nothing_to_refund", {"没有可退的商品", "Nothing left to refund"}},
        {"sale.refund_quantity_too_high", {"退货数量超过可退数量 {max}", "At most {max} can still be returned"}},
        {"sale.duplicate_line", {"同一行不能重复退货", "A line may appear only once"}},
        {"coupon.not_stackable", {"优惠券 {code} 不能与其他券叠加使用", "Coupon {code} cannot be combined with others"}},
        {"coupon.no_eligible_items", {"优惠券 {code} 不适用于本单商品", "Coupon {code} applies to none of these items"}},
        {"coupon.min_spend_not_met", {"优惠券 {code} 需满 {min} 元可用", "Coupon {code} needs a spend of at least {min}"}},
        {"coupon.not_found", {"优惠券 {code} 不存在或不属于该会员", "Coupon {code} does not exist or is not this member's"}},
        {"coupon.not_usable", {"优惠券 {code} 已使用、过期或作废", "Coupon {code} is used, expired or void"}},
        {"coupon.not_valid_yet", {"优惠券 {code} 尚未到使用时间", "Coupon {code} is not valid yet"}},
        {"coupon.wrong_store", {"优惠券 {code} 不能在本店使用", "Coupon {code} cannot be used in this store"}},
        {"coupon.duplicate", {"同一张券不能重复使用", "The same coupon is listed twice"}},
        {"coupon.limit_reached", {"该会员已达到此券的领取上限 {max} 张", "This member already holds the limit of {max} of this coupon"}},
        {"coupon.template_inactive", {"优惠券模板已停用", "This coupon template is inactive"}},
        {"coupon.needs_validity", {"请设置有效期：固定日期或领取后天数", "Set a validity: fixed dates or days from issue"}},
        {"points.not_whole_fen", {"积分数须能折算为整分（{rate} 积分 = 1 元）", "Points must make whole fen ({rate} points = 1 yuan)"}},
        {"points.above_cap", {"本单最多可用 {max} 积分", "At most {max} points can be used on this order"}},
        {"points.insufficient", {"积分不足（可用 {balance}）", "Not enough points (balance {balance})"}},
        {"points.zero_adjustment", {"调整值不能为 0", "The adjustment cannot be 0"}},
        {"points.checked_in_today", {"今天已经签到过了", "Already checked in today"}},
        {"gift.out_of_stock", {"库存不足（剩余 {stock}）", "Not enough in stock ({stock} left)"}},
        {"gift.not_voucher", {"只有合作券可以导入券码", "Only partner vouchers take voucher codes"}},
        {"gift.already_cancelled", {"该兑换已取消", "This redemption is already cancelled"}},
        {"gift.voucher_not_cancellable", {"已发出的合作券码不能取消", "A voucher code already handed out cannot be cancelled"}},
        {"analytics.too_few_members", {"该时段购买的会员少于 {min} 位，无法聚类", "Fewer than {min} members bought in this period; too few to cluster"}},
        {"analytics.too_little_history", {"截至该日期购买过的会员少于 {min} 位，无法拟合模型", "Fewer than {min} members bought by this date; too few to fit the model"}},
        {"import.not_csv", {"文件不是有效的 CSV", "The file is not valid CSV"}},
        {"import.online_retail_columns", {"列应为 InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country", "The columns must be InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"}},
        {"analytics.from_after_to", {"开始日期晚于结束日期", "The start is after the end"}},
        // The member's own pages.
        {"portal.code_wrong", {"验证码不正确", "The code is not right"}},
        {"portal.code_expired", {"验证码已失效，请重新获取", "The code has expired; ask for a new one"}},
        {"portal.not_a_member", {"该手机号还不是会员，请在门店扫码入会", "This phone is not a member yet; scan the store's code to join"}},
        {"portal.privacy_required", {"请阅读并同意隐私政策", "Please read and accept the privacy notice"}},
        {"portal.guardian_needed", {"未满 {age} 周岁需由监护人陪同到店办理", "Under {age}, please join in store with a guardian"}},
        {"portal.deletion_pending", {"注销申请已提交，正在处理", "Your deletion request is already being handled"}},
        {"portal.deletion_decided", {"该申请已处理", "This request has been decided"}},
        // Service and follow-up.
        {"field.invalid_time_of_day", {"时间格式应为 HH:MM（00:00–24:00）", "Use HH:MM (00:00–24:00)"}},
        {"store.closes_before_opening", {"打烊时间须晚于开门时间", "Closing time must be after opening time"}},
        {"task.not_open", {"该任务已完成或已跳过", "This task is already done or skipped"}},
        {"task.assignee_not_in_store", {"该员工不在此门店或已停用", "This person does not work in the task's store or is disabled"}},
        {"task.assign_needs_permission", {"只能给自己建任务；分派给他人需要“分派任务”权限", "You can only create tasks for yourself; assigning others needs the assign-tasks permission"}},
        {"handover.same_person", {"交接对象不能是同一个人", "Choose a different colleague"}},
        {"complaint.bad_transition", {"当前状态（{from}）不能转到该状态", "A complaint cannot move there from {from}"}},
        {"complaint.only_when_resolving", {"处理结果与补偿只能在“已解决”时填写", "Resolution and compensation go with the resolved step"}},
        {"complaint.only_at_follow_up", {"满意度只能在“回访”时填写", "Satisfaction goes with the follow-up step"}},
        {"complaint.no_member", {"投诉未关联会员，无法补偿积分或券", "The complaint has no member to compensate"}},
        {"survey.two_options", {"选择题至少需要两个选项", "A choice question needs at least two options"}},
        {"survey.already_answered", {"该问卷已提交过，感谢您的反馈", "This survey was already answered; thank you"}},
        {"event.ends_before_start", {"结束时间不能早于开始时间", "The end is before the start"}},
        {"event.full", {"活动名额已满（{capacity} 人）", "The event is full ({capacity} places)"}},
        {"event.not_open", {"活动已取消或已结束", "The event is cancelled or finished"}},
        {"event.already_registered", {"该会员已报名", "This member is already registered"}},
        {"event.already_checked_in", {"该会员已签到", "This member has already checked in"}},
        // Texts the server writes for staff: task titles and complaint escalation reasons.
        {"task.title.cycle", {"复购提醒 {name}", "Repurchase reminder: {name}"}},
        {"task.title.cycle_category", {"复购提醒 {name}（{category}）", "Repurchase reminder: {name} ({category})"}},
        {"task.title.birthday", {"生日关怀 {name}（{date}）", "Birthday care: {name} ({date})"}},
        {"task.title.member_day", {"会员日邀约 {name}（{date}）", "Member day invitation: {name} ({date})"}},
        {"task.title.dormancy", {"沉睡会员回访 {name}", "Win back a dormant member: {name}"}},
        {"task.title.points_expiry", {"积分到期提醒 {name}（{points} 分，{date}）", "Points expiring: {name} ({points} points, {date})"}},
        {"task.title.complaint_sla_response", {"投诉 #{id} 首次响应超时，已升级", "Complaint #{id} escalated: first response overdue"}},
        {"task.title.complaint_sla_resolution", {"投诉 #{id} 处理超时，已升级", "Complaint #{id} escalated: resolution overdue"}},
        {"task.title.complaint_legal", {"投诉 #{id} 涉及法务，已升级", "Complaint #{id} escalated: legal concern"}},
        {"task.title.complaint_critical", {"严重投诉 #{id}，已升级", "Complaint #{id} escalated: critical severity"}},
        {"complaint.escalation.sla_response", {"首次响应超时", "First response overdue"}},
        {"complaint.escalation.sla_resolution", {"处理超时", "Resolution overdue"}},
        {"complaint.escalation.legal", {"涉及法务", "Legal concern"}},
        {"complaint.escalation.critical", {"严重投诉", "Critical severity"}},
        {"complaint.breach.response", {"首次响应时限已过", "First response deadline missed"}},
        {"complaint.breach.resolution", {"处理时限已过", "Resolution deadline missed"}},
        // Marketing.
        {"field.too_many", {"最多 {max} 项", "At most {max} items"}},
        {"segment.unknown_field", {"未知的分群条件字段：{field}", "Unknown segment field: {field}"}},
        {"segment.bad_op", {"该字段不支持运算 {op}", "This field does not support the operator {op}"}},
        {"segment.days_not_allowed", {"该字段不能设置统计天数", "This field takes no window of days"}},
        {"segment.between_needs_two", {"区间需要两个数字 [最小, 最大]", "A range needs two numbers [min, max]"}},
        {"segment.between_order", {"区间的最小值不能大于最大值", "The range's minimum is above its maximum"}},
        {"segment.empty_list", {"请至少选择一项", "Choose at least one value"}},
        {"segment.unknown_code", {"不支持的取值：{value}", "Unknown value: {value}"}},
        {"segment.too_deep", {"条件组最多嵌套 {max} 层", "Groups nest at most {max} deep"}},
        {"segment.in_use", {"该分群正被营销活动使用，不能删除", "A campaign uses this segment; it cannot be deleted"}},
        {"campaign.unknown_variable", {"模板中有未知变量 {variable}（可用：name、points、tier、coupon_code、store、expiry、next_best）", "Unknown variable {variable} in the template (use name, points, tier, coupon_code, store, expiry or next_best in braces)"}},
        {"campaign.audience_required", {"请选择分群或设置受众条件", "Choose a segment or set audience rules"}},
        {"campaign.bad_weekdays", {"请选择星期几（1=周一 … 7=周日）", "Choose weekdays (1 = Monday … 7 = Sunday)"}},
        {"campaign.not_editable", {"只能修改草稿或已暂停的活动", "Only a draft or paused campaign can be changed"}},
        {"campaign.not_draft", {"只有草稿可以提交", "Only a draft can be submitted"}},
        {"campaign.not_pending", {"该活动不在待审批状态", "This campaign is not waiting for approval"}},
        {"campaign.self_approval", {"不能审批自己提交的活动", "You cannot approve a campaign you submitted"}},
        {"campaign.bad_transition", {"当前状态下不能执行此操作", "Not possible in the campaign's current state"}},
        {"marketing.bad_url", {"地址格式不正确", "Not a valid address for this setting"}},
        {"webhook.unknown_event", {"未知的事件类型：{event}", "Unknown event type: {event}"}},
        {"target.bad_period", {"期间格式应为 2026、2026-Q4 或 2026-11", "A period is 2026, 2026-Q4 or 2026-11"}},
        {"tag_rule.tag_has_rule", {"该标签已有自动规则", "This tag already has a rule"}},
        {"event.too_many", {"一次最多邀请 {max} 位会员，请缩小范围", "At most {max} members per invitation; narrow the audience"}},
        {"tier.rank_taken", {"该等级序号已存在", "Another tier has this rank"}},
        {"field.required_columns", {"CSV 需包含列：sku, name, price（分）或 price_yuan（元）", "The CSV needs the columns sku, name and price (fen) or price_yuan (yuan)"}},
        {"field.same_store", {"调出和调入门店不能相同", "Choose two different stores"}},
        {"field.sku_taken", {"SKU 编码已存在", "This SKU is already in use"}},
        {"field.barcode_taken", {"条码已存在", "This barcode is already in use"}},
        {"field.invalid_barcode", {"条码只能包含数字和字母", "A barcode has only digits and letters"}},
        {"field.category_cycle", {"不能把分类移到自己的下级", "A category cannot move under itself"}},
        // Field messages.
        {"field.required", {"必填", "Required"}},
        {"field.unknown", {"不支持的字段", "Unknown field"}},
        {"field.must_be_string", {"必须是文本", "Must be a string"}},
        {"field.must_be_integer", {"必须是整数", "Must be an integer"}},
        {"field.must_be_number", {"必须是数字", "Must be a number"}},
        {"field.must_be_boolean", {"必须是 true 或 false", "Must be true or false"}},
        {"field.must_be_array", {"必须是数组", "Must be a list"}},
        {"field.must_be_object", {"必须是对象", "Must be an object"}},
        {"field.too_long", {"不能超过 {max} 个字符", "At most {max} characters"}},
        {"field.too_short", {"至少 {min} 个字符", "At least {min} characters"}},
        {"field.out_of_range", {"必须在 {min} 到 {max} 之间", "Must be between {min} and {max}"}},
        {"field.invalid_choice", {"取值无效，可选：{choices}", "Invalid value; choose one of: {choices}"}},
        {"field.invalid_phone", {"手机号格式不正确（大陆手机号 11 位，或 +国家码 国际号码）", "Invalid phone number (11-digit mainland mobile or +country E.164)"}},
        {"field.invalid_email", {"邮箱格式不正确", "Invalid email address"}},
        {"field.invalid_datetime", {"时间格式应为 YYYY-MM-DDTHH:MM:SSZ（UTC）", "Time must be YYYY-MM-DDTHH:MM:SSZ (UTC)"}},
        {"field.invalid_date", {"日期格式应为 YYYY-MM-DD", "Date must be YYYY-MM-DD"}},
        {"field.date_in_future", {"日期不能晚于今天", "The date cannot be in the future"}},
        {"field.invalid_timezone", {"时区无效（如 Asia/Shanghai）", "Invalid time zone (e.g. Asia/Shanghai)"}},
        {"field.invalid_code", {"只能包含字母、数字、下划线和短横线", "Only letters, digits, _ and - are allowed"}},
        {"field.forbidden_characters", {"不能包含以下字符：< > \" ' ; \\ `", "Must not contain any of: < > \" ' ; \\ `"}},
        {"field.control_characters", {"不能包含控制字符", "Must not contain control characters"}},
        {"field.phone_taken", {"该手机号已是会员", "A member with this phone number already exists"}},
        {"field.code_taken", {"编码已存在", "This code is already in use"}},
        {"field.username_taken", {"用户名已存在", "This username is already taken"}},
        {"field.name_taken", {"名称已存在", "This name is already in use"}},
        {"field.not_found", {"引用的记录不存在", "The referenced record does not exist"}},
        {"field.store_out_of_scope", {"无权操作该门店", "You cannot use this store"}},
        {"field.unknown_permission", {"未知权限", "Unknown permission"}},
        {"field.password_wrong", {"当前密码不正确", "The current password is wrong"}},
        {"field.password_too_short", {"密码至少 8 位", "At least 8 characters"}},
        {"field.password_too_long", {"密码不能超过 128 位", "At most 128 characters"}},
        {"field.password_classes", {"需包含小写字母、大写字母、数字、符号中的至少三类", "Use at least three of: lower case, upper case, digits, symbols"}},
        {"field.password_contains_username", {"密码不能包含用户名", "The password must not contain the username"}},
        {"field.password_same", {"新密码不能与当前密码相同", "The new password must differ from the current one"}},
        {"field.invalid_cursor", {"分页游标无效", "Invalid cursor"}},
        {"field.invalid_sort", {"不支持的排序字段", "Unsupported sort field"}},
        {"field.self_merge", {"不能与自己合并", "Cannot merge a member with itself"}},
        {"field.invalid_field_choice", {"只能选择 survivor 或 other", "Choose survivor or other"}},
        {"field.custom_field_unknown", {"未定义的自定义字段", "Undefined custom field"}},
        {"field.builtin_role", {"内置角色的编码不能修改", "A built-in role's code cannot change"}},
        {"field.cannot_disable_self", {"不能停用自己的账号", "You cannot disable your own account"}},
        {"field.invalid_locale", {"仅支持 zh-CN 或 en", "Only zh-CN or en"}},
    };
    return catalog;
}

}  // namespace

Locale ParseLocale(std::string_view value) {
    // Accept-Language is a weighted list; the first language tag decides, which is what
    // browsers put first.
    for (size_t i = 0; i < value.size(); ++i) {
        if (value[i] == ' ' || value[i] == ',') continue;
        std::string_view rest = value.substr(i);
        if (rest.size() >= 2 && (rest[0] == 'e' || rest[0] == 'E') && (rest[1] == 'n' || rest[1] == 'N')) {
            return Locale::kEn;
        }
        return Locale::kZhCN;
    }
    return Locale::kZhCN;
}

const char* LocaleCode(Locale locale) { return locale == Locale::kEn ? "en" : "zh-CN"; }

std::string Render(std::string_view key, Locale locale) { return Render(Message{std::string(key), {}}, locale); }

std::string Render(const Message& message, Locale locale) {
    const auto& catalog = Catalog();
    auto it = catalog.find(message.key);
    std::string text = it == catalog.end() ? message.key : (locale == Locale::kEn ? it->second.en : it->second.zh);
    for (const auto& [name, value] : message.args) {
        const std::string placeholder = "{" + name + "}";
        for (size_t pos = text.find(placeholder); pos != std::string::npos;
             pos = text.find(placeholder, pos + value.size())) {
            text.replace(pos, placeholder.size(), value);
        }
    }
    return text;
}

bool HasMessage(std::string_view key) { return Catalog().count(key) > 0; }

std::vector<std::string> AllMessageKeys() {
    std::vector<std::string> keys;
    for (const auto& [key, texts] : Catalog()) keys.emplace_back(key);
    return keys;
}

}  // namespace storecrm
