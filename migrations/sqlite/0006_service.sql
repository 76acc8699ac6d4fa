-- Service and follow-up: interactions, tasks, reminders, complaints with SLAs, surveys, member
-- events, and an outbox of messages to members (the marketing issue adds its channels).

-- Business hours in store-local time: complaint SLA clocks run only while the store is open.
ALTER TABLE stores ADD COLUMN opens_at TEXT NOT NULL DEFAULT '09:00';
ALTER TABLE stores ADD COLUMN closes_at TEXT NOT NULL DEFAULT '22:00';

CREATE TABLE service_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE tasks (
    id INTEGER PRIMARY KEY,
    store_id INTEGER NOT NULL REFERENCES stores (id),
    member_id INTEGER REFERENCES members (id),
    assignee_id INTEGER REFERENCES staff (id),
    title TEXT NOT NULL,
    details TEXT NOT NULL DEFAULT '',
    due_at INTEGER NOT NULL,
    priority TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    origin TEXT NOT NULL CHECK (origin IN ('manual', 'interaction', 'reminder', 'complaint', 'campaign', 'dormancy')),
    origin_ref TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'done', 'skipped')),
    outcome TEXT NOT NULL DEFAULT '',
    completed_at INTEGER,
    completed_by INTEGER REFERENCES staff (id),
    escalated_to INTEGER REFERENCES staff (id),
    escalated_at INTEGER,
    created_by INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX tasks_assignee ON tasks (assignee_id, status, due_at);
CREATE INDEX tasks_store ON tasks (store_id, status, due_at);
CREATE INDEX tasks_member ON tasks (member_id, created_at);

CREATE TABLE interactions (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members (id),
    store_id INTEGER NOT NULL REFERENCES stores (id),
    staff_id INTEGER REFERENCES staff (id),
    occurred_at INTEGER NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('phone', 'wechat', 'visit', 'sms', 'email')),
    direction TEXT NOT NULL CHECK (direction IN ('outbound', 'inbound')),
    summary TEXT NOT NULL,
    feedback TEXT NOT NULL DEFAULT '',
    sentiment TEXT NOT NULL DEFAULT 'neutral' CHECK (sentiment IN ('positive', 'neutral', 'negative')),
    next_step TEXT NOT NULL DEFAULT '',
    task_id INTEGER REFERENCES tasks (id),
    created_at INTEGER NOT NULL
);
CREATE INDEX interactions_member ON interactions (member_id, occurred_at);

-- 导购交接: who handed what to whom; each moved member also gets a member_history row.
CREATE TABLE guide_handovers (
    id INTEGER PRIMARY KEY,
    from_staff_id INTEGER NOT NULL REFERENCES staff (id),
    to_staff_id INTEGER NOT NULL REFERENCES staff (id),
    members_moved INTEGER NOT NULL,
    tasks_moved INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_by INTEGER,
    created_at INTEGER NOT NULL
);

-- One row per member, kind and occasion: the reminder job inserts here first and creates its
-- task only when the insert took, so a second run (or a second instance) creates nothing.
CREATE TABLE reminders (
    member_id INTEGER NOT NULL REFERENCES members (id),
    kind TEXT NOT NULL CHECK (kind IN ('birthday', 'member_day', 'cycle', 'dormancy', 'points_expiry')),
    occasion TEXT NOT NULL,
    task_id INTEGER REFERENCES tasks (id),
    coupon_id INTEGER REFERENCES coupons (id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (member_id, kind, occasion)
);

CREATE TABLE complaints (
    id INTEGER PRIMARY KEY,
    store_id INTEGER NOT NULL REFERENCES stores (id),
    member_id INTEGER REFERENCES members (id),
    sale_id INTEGER REFERENCES sales (id),
    channel TEXT NOT NULL CHECK (channel IN ('phone', 'email', 'in_store', 'online')),
    category TEXT NOT NULL,
    severity TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    description TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'new'
        CHECK (status IN ('new', 'acknowledged', 'investigating', 'resolved', 'follow_up', 'closed')),
    assignee_id INTEGER REFERENCES staff (id),
    legal_flag INTEGER NOT NULL DEFAULT 0,
    escalation_level INTEGER NOT NULL DEFAULT 0,
    escalated_to INTEGER REFERENCES staff (id),
    response_due_at INTEGER NOT NULL,
    resolution_due_at INTEGER NOT NULL,
    responded_at INTEGER,
    resolved_at INTEGER,
    closed_at INTEGER,
    response_breached INTEGER NOT NULL DEFAULT 0,
    resolution_breached INTEGER NOT NULL DEFAULT 0,
    resolution TEXT NOT NULL DEFAULT '',
    compensation_points INTEGER NOT NULL DEFAULT 0,
    compensation_coupon_id INTEGER REFERENCES coupons (id),
    satisfaction INTEGER,
    follow_up_note TEXT NOT NULL DEFAULT '',
    created_by INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX complaints_store ON complaints (store_id, status, created_at);
CREATE INDEX complaints_open ON complaints (status, response_due_at);
CREATE INDEX complaints_member ON complaints (member_id, created_at);

CREATE TABLE complaint_events (
    id INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaints (id),
    kind TEXT NOT NULL CHECK (kind IN ('created', 'status', 'assigned', 'note', 'escalated', 'breach')),
    from_status TEXT NOT NULL DEFAULT '',
    to_status TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    staff_id INTEGER REFERENCES staff (id),
    created_at INTEGER NOT NULL
);
CREATE INDEX complaint_events_complaint ON complaint_events (complaint_id, id);

CREATE TABLE surveys (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    intro TEXT NOT NULL DEFAULT '',
    questions TEXT NOT NULL,
    thanks_points INTEGER NOT NULL DEFAULT 0 CHECK (thanks_points >= 0),
    after_sale INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE member_events (
    id INTEGER PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    store_id INTEGER NOT NULL REFERENCES stores (id),
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    capacity INTEGER NOT NULL DEFAULT 0 CHECK (capacity >= 0),
    status TEXT NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'cancelled', 'finished')),
    version INTEGER NOT NULL DEFAULT 1,
    created_by INTEGER,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX member_events_store ON member_events (store_id, starts_at);

CREATE TABLE event_attendees (
    event_id INTEGER NOT NULL REFERENCES member_events (id),
    member_id INTEGER NOT NULL REFERENCES members (id),
    status TEXT NOT NULL CHECK (status IN ('invited', 'registered', 'attended', 'cancelled')),
    invited_at INTEGER,
    registered_at INTEGER,
    checked_in_at INTEGER,
    PRIMARY KEY (event_id, member_id)
);
CREATE INDEX event_attendees_member ON event_attendees (member_id);

-- A signed link to one survey answer; the token carries the id and a keyed MAC of it.
CREATE TABLE survey_links (
    id INTEGER PRIMARY KEY,
    survey_id INTEGER NOT NULL REFERENCES surveys (id),
    member_id INTEGER REFERENCES members (id),
    store_id INTEGER NOT NULL REFERENCES stores (id),
    staff_id INTEGER REFERENCES staff (id),
    sale_id INTEGER REFERENCES sales (id),
    event_id INTEGER REFERENCES member_events (id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    answered_at INTEGER
);
CREATE UNIQUE INDEX survey_links_sale ON survey_links (survey_id, sale_id);

CREATE TABLE survey_answers (
    link_id INTEGER PRIMARY KEY REFERENCES survey_links (id),
    survey_id INTEGER NOT NULL REFERENCES surveys (id),
    store_id INTEGER NOT NULL REFERENCES stores (id),
    staff_id INTEGER,
    member_id INTEGER,
    event_id INTEGER,
    nps INTEGER,
    csat INTEGER,
    answers TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX survey_answers_survey ON survey_answers (survey_id, created_at);

-- Messages to members waiting for (or done with) a channel; the marketing issue delivers them.
CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    member_id INTEGER REFERENCES members (id),
    -- Who it went to when that is not (yet) a member, e.g. a sign-in code: masked, and encrypted.
    recipient TEXT NOT NULL DEFAULT '',
    recipient_enc BLOB,
    channel TEXT NOT NULL,
    purpose TEXT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed', 'suppressed')),
    created_at INTEGER NOT NULL,
    sent_at INTEGER
);
CREATE INDEX messages_member ON messages (member_id, created_at);
CREATE INDEX messages_status ON messages (status, id);

INSERT INTO sequences (name, value) VALUES ('builtin_roles.service', 0);
INSERT INTO sequences (name, value) VALUES ('surveys.after_sale_watermark', 0);
