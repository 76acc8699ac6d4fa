-- Texts the server writes for staff (task titles, escalation reasons) are kept as message keys
-- and rendered in each reader's language; the stored title stays the zh-CN rendering (exports
-- and search read it). Older rows keep their stored text, except the four mixed-language
-- escalation reasons, which become the codes the server now writes.
ALTER TABLE tasks ADD COLUMN title_key TEXT NOT NULL DEFAULT '';
ALTER TABLE tasks ADD COLUMN title_args TEXT NOT NULL DEFAULT '{}';
UPDATE complaint_events SET note = 'sla_response' WHERE kind = 'escalated' AND note = 'SLA: first response overdue 首次响应超时';
UPDATE complaint_events SET note = 'sla_resolution' WHERE kind = 'escalated' AND note = 'SLA: resolution overdue 处理超时';
UPDATE complaint_events SET note = 'legal' WHERE kind = 'escalated' AND note = 'legal flag 法务关注';
UPDATE complaint_events SET note = 'critical' WHERE kind = 'escalated' AND note = 'critical severity 严重投诉';
UPDATE tasks SET details = 'sla_response' WHERE origin = 'complaint' AND details = 'SLA: first response overdue 首次响应超时';
UPDATE tasks SET details = 'sla_resolution' WHERE origin = 'complaint' AND details = 'SLA: resolution overdue 处理超时';
UPDATE tasks SET details = 'legal' WHERE origin = 'complaint' AND details = 'legal flag 法务关注';
UPDATE tasks SET details = 'critical' WHERE origin = 'complaint' AND details = 'critical severity 严重投诉';
