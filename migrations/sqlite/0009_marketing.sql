-- Marketing 精准营销: value groups, segments, tag rules, campaigns and their recipients, the
-- message outbox's delivery states, webhooks fed by domain events, and targets.
INSERT INTO sequences (name, value) VALUES ('builtin_roles.marketing', 0);
INSERT INTO sequences (name, value) VALUES ('webhooks.fanout', 0);
-- The last sale whose member's values and tag rules were brought up to date.
INSERT INTO sequences (name, value) VALUES ('marketing.after_sales', 0);

-- Each member's RFM scores (0 = no purchase in the last 12 months), named RFM class, lifecycle
-- stage and value × need group; recomputed nightly and shortly after each of their sales.
CREATE TABLE member_values (
    member_id INTEGER PRIMARY KEY REFERENCES members (id),
    r INTEGER NOT NULL,
    f INTEGER NOT NULL,
    m INTEGER NOT NULL,
    rfm_class TEXT NOT NULL,
    lifecycle TEXT NOT NULL,
    value_group TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX member_values_updated ON member_values (updated_at);

CREATE TABLE marketing_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE segments (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    rules TEXT NOT NULL,
    member_count INTEGER NOT NULL DEFAULT 0,
    counted_at INTEGER,
    created_by INTEGER REFERENCES staff (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

-- A tag kept by a rule: members matching the rule carry the tag, the others do not.
CREATE TABLE tag_rules (
    id INTEGER PRIMARY KEY,
    tag_id INTEGER NOT NULL UNIQUE REFERENCES tags (id),
    rules TEXT NOT NULL,
    enabled INTEGER NOT NULL DEFAULT 1,
    last_run_at INTEGER,
    last_members INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER REFERENCES staff (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE campaigns (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'draft'
        CHECK (status IN ('draft', 'pending_approval', 'scheduled', 'active', 'sending', 'done', 'paused', 'cancelled')),
    segment_id INTEGER REFERENCES segments (id),
    rules TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('sms', 'email', 'wechat', 'file')),
    subject TEXT NOT NULL DEFAULT '',
    template TEXT NOT NULL,
    coupon_template_id INTEGER REFERENCES coupon_templates (id),
    schedule TEXT NOT NULL CHECK (schedule IN ('now', 'at', 'recurring', 'trigger')),
    send_at INTEGER,
    -- recurring: {"weekdays":[1..7], "time":"14:00"} in each store's zone; trigger: {"kind", "days"}.
    schedule_detail TEXT NOT NULL DEFAULT '{}',
    control_pct INTEGER NOT NULL DEFAULT 10 CHECK (control_pct BETWEEN 0 AND 50),
    result_days INTEGER NOT NULL DEFAULT 14 CHECK (result_days BETWEEN 1 AND 90),
    audience_estimate INTEGER NOT NULL DEFAULT 0,
    requested_by INTEGER REFERENCES staff (id),
    approved_by INTEGER REFERENCES staff (id),
    approved_at INTEGER,
    last_run_at INTEGER,
    created_by INTEGER REFERENCES staff (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX campaigns_status ON campaigns (status);

-- One sending of a campaign: once for "now"/"at", per local day and zone for recurring ones,
-- per trigger pass for triggered ones. `occasion` makes a run happen once.
CREATE TABLE campaign_runs (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    occasion TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'enqueuing' CHECK (status IN ('enqueuing', 'done')),
    audience INTEGER NOT NULL DEFAULT 0,
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    UNIQUE (campaign_id, occasion)
);

-- Who a campaign reached, or held out, or skipped and why; a member gets a campaign once per
-- occasion (a trigger's occasion is the member's own, e.g. the birthday's year).
CREATE TABLE campaign_recipients (
    id INTEGER PRIMARY KEY,
    campaign_id INTEGER NOT NULL REFERENCES campaigns (id),
    run_id INTEGER NOT NULL REFERENCES campaign_runs (id),
    member_id INTEGER NOT NULL REFERENCES members (id),
    occasion TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('queued', 'control', 'no_consent', 'capped', 'no_address', 'minor')),
    message_id INTEGER,
    coupon_id INTEGER,
    created_at INTEGER NOT NULL,
    UNIQUE (campaign_id, member_id, occasion)
);
CREATE INDEX campaign_recipients_run ON campaign_recipients (run_id);
CREATE INDEX campaign_recipients_member ON campaign_recipients (member_id, created_at);

-- The outbox gains its delivery states: queued → sending (leased) → sent / failed, retries
-- with back-off, not before `not_before` (quiet hours), and its campaign.
CREATE TABLE messages_new (
    id INTEGER PRIMARY KEY,
    member_id INTEGER REFERENCES members (id),
    recipient TEXT NOT NULL DEFAULT '',
    recipient_enc BLOB,
    channel TEXT NOT NULL,
    purpose TEXT NOT NULL,
    subject TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'suppressed')),
    campaign_id INTEGER REFERENCES campaigns (id),
    attempts INTEGER NOT NULL DEFAULT 0,
    not_before INTEGER NOT NULL DEFAULT 0,
    lease_until INTEGER,
    last_error TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    sent_at INTEGER
);
INSERT INTO messages_new (id, member_id, recipient, recipient_enc, channel, purpose, body, status, created_at, sent_at)
    SELECT id, member_id, recipient, recipient_enc, channel, purpose, body, status, created_at, sent_at FROM messages;
DROP TABLE messages;
ALTER TABLE messages_new RENAME TO messages;
CREATE INDEX messages_member ON messages (member_id, created_at);
CREATE INDEX messages_status ON messages (status, not_before, id);
CREATE INDEX messages_campaign ON messages (campaign_id, status);

-- Domain events written in the transaction of their change; webhooks fan out from here.
CREATE TABLE domain_events (
    id INTEGER PRIMARY KEY,
    type TEXT NOT NULL,
    entity_id INTEGER NOT NULL,
    payload TEXT NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX domain_events_at ON domain_events (at);

CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY,
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    secret_enc BLOB NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    enabled INTEGER NOT NULL DEFAULT 1,
    created_by INTEGER REFERENCES staff (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY,
    webhook_id INTEGER NOT NULL REFERENCES webhooks (id),
    event_id INTEGER NOT NULL REFERENCES domain_events (id),
    event_type TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    not_before INTEGER NOT NULL DEFAULT 0,
    lease_until INTEGER,
    response_status INTEGER,
    last_error TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    delivered_at INTEGER,
    UNIQUE (webhook_id, event_id)
);
CREATE INDEX webhook_deliveries_status ON webhook_deliveries (status, not_before, id);

-- 营销目标: sales (fen), new members or reactivated members per store or staff member and period
-- ("2026", "2026-Q4", "2026-11").
CREATE TABLE targets (
    id INTEGER PRIMARY KEY,
    scope TEXT NOT NULL CHECK (scope IN ('store', 'staff')),
    subject_id INTEGER NOT NULL,
    metric TEXT NOT NULL CHECK (metric IN ('sales', 'new_members', 'reactivated')),
    period TEXT NOT NULL,
    target INTEGER NOT NULL CHECK (target > 0),
    created_by INTEGER REFERENCES staff (id),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    UNIQUE (scope, subject_id, metric, period)
);

-- Bumped by changes to many members at once (bulk tags, tag rules, nightly values): an
-- instance's in-memory audience index reloads fully when it moves.
INSERT INTO sequences (name, value) VALUES ('member_index.epoch', 0);
