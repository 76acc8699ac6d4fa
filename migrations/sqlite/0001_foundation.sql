-- Foundation: stores, roles, staff, sessions, API tokens, audit, members, tags, custom fields.
-- Times are INTEGER seconds since the epoch, UTC. Personal data columns ending in _enc hold
-- XChaCha20-Poly1305 ciphertext; _bidx columns hold keyed BLAKE2b blind indexes for lookups.

CREATE TABLE stores (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('direct', 'franchise')),
    region TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    timezone TEXT NOT NULL DEFAULT 'Asia/Shanghai',
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'closed')),
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE roles (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    permissions TEXT NOT NULL DEFAULT '[]',
    all_stores INTEGER NOT NULL DEFAULT 0,
    builtin INTEGER NOT NULL DEFAULT 0,
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE staff (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role_id INTEGER NOT NULL REFERENCES roles (id),
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    password_hash TEXT NOT NULL,
    must_change_password INTEGER NOT NULL DEFAULT 1,
    failed_attempts INTEGER NOT NULL DEFAULT 0,
    locked_until INTEGER,
    last_login_at INTEGER,
    locale TEXT NOT NULL DEFAULT 'zh-CN',
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE staff_stores (
    staff_id INTEGER NOT NULL REFERENCES staff (id),
    store_id INTEGER NOT NULL REFERENCES stores (id),
    PRIMARY KEY (staff_id, store_id)
);
CREATE INDEX staff_stores_store ON staff_stores (store_id);

CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    staff_id INTEGER NOT NULL REFERENCES staff (id),
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    ip TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT '',
    revoked_at INTEGER
);
CREATE INDEX sessions_staff ON sessions (staff_id);

CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    token_prefix TEXT NOT NULL,
    store_id INTEGER NOT NULL REFERENCES stores (id),
    permissions TEXT NOT NULL DEFAULT '[]',
    created_by INTEGER REFERENCES staff (id),
    created_at INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at INTEGER
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    actor_type TEXT NOT NULL,
    actor_id INTEGER,
    actor_name TEXT NOT NULL DEFAULT '',
    action TEXT NOT NULL,
    entity TEXT NOT NULL DEFAULT '',
    entity_id TEXT NOT NULL DEFAULT '',
    ip TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_actor ON audit_log (actor_id, at);

CREATE TABLE sequences (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);

CREATE TABLE members (
    id INTEGER PRIMARY KEY,
    member_no TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL DEFAULT '',
    name_fold TEXT NOT NULL DEFAULT '',
    name_pinyin TEXT NOT NULL DEFAULT '',
    gender TEXT NOT NULL DEFAULT 'unknown' CHECK (gender IN ('male', 'female', 'unknown')),
    phone_enc BLOB,
    phone_bidx BLOB,
    phone_last4_bidx BLOB,
    phone_masked TEXT NOT NULL DEFAULT '',
    email_enc BLOB,
    email_bidx BLOB,
    wechat_enc BLOB,
    address_enc BLOB,
    birthday_enc BLOB,
    -- Year and month stay in clear for age-band and birthday-month filters; the day does not.
    birth_year INTEGER,
    birth_month INTEGER,
    company TEXT NOT NULL DEFAULT '',
    category TEXT NOT NULL DEFAULT 'regular' CHECK (category IN ('regular', 'vip', 'wholesale')),
    home_store_id INTEGER NOT NULL REFERENCES stores (id),
    source TEXT NOT NULL DEFAULT 'walk_in',
    referrer_id INTEGER REFERENCES members (id),
    guide_id INTEGER REFERENCES staff (id),
    notes TEXT NOT NULL DEFAULT '',
    custom_fields TEXT NOT NULL DEFAULT '{}',
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived', 'merged', 'anonymized')),
    merged_into_id INTEGER REFERENCES members (id),
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    created_by INTEGER,
    updated_by INTEGER,
    updated_by_name TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX members_phone ON members (phone_bidx) WHERE phone_bidx IS NOT NULL;
-- With created_at, a last-4 page comes back in display order without sorting every match;
-- status and home_store_id make the filter and the count index-only.
CREATE INDEX members_phone_last4 ON members (phone_last4_bidx, created_at, status, home_store_id);
CREATE INDEX members_email ON members (email_bidx);
CREATE INDEX members_store_created ON members (home_store_id, created_at);
CREATE INDEX members_created ON members (created_at);
CREATE INDEX members_name_fold ON members (name_fold);

-- Every suffix of a member's folded name and pinyin, and the full initials: a prefix range
-- scan on `key` finds substring matches with an index instead of scanning every member.
-- status and store_id are copies from members so a name search filters inside this index.
CREATE TABLE member_search_keys (
    key TEXT NOT NULL,
    member_id INTEGER NOT NULL REFERENCES members (id),
    store_id INTEGER NOT NULL,
    status TEXT NOT NULL,
    PRIMARY KEY (key, member_id)
) WITHOUT ROWID;
CREATE INDEX member_search_keys_member ON member_search_keys (member_id);

CREATE TABLE tag_groups (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    preset INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    group_id INTEGER NOT NULL REFERENCES tag_groups (id),
    name TEXT NOT NULL,
    color TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    UNIQUE (group_id, name)
);

CREATE TABLE member_tags (
    member_id INTEGER NOT NULL REFERENCES members (id),
    tag_id INTEGER NOT NULL REFERENCES tags (id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (member_id, tag_id)
);
CREATE INDEX member_tags_tag ON member_tags (tag_id);

-- Append-only consent ledger; the newest row per (member, channel, purpose) is in force.
CREATE TABLE member_consents (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members (id),
    channel TEXT NOT NULL,
    purpose TEXT NOT NULL DEFAULT 'marketing',
    granted INTEGER NOT NULL,
    at INTEGER NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    recorded_by_id INTEGER,
    recorded_by_name TEXT NOT NULL DEFAULT ''
);
CREATE INDEX member_consents_member ON member_consents (member_id, channel, id);

-- Field-level change history; personal fields keep their old/new values encrypted.
CREATE TABLE member_history (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members (id),
    at INTEGER NOT NULL,
    actor_id INTEGER,
    actor_name TEXT NOT NULL DEFAULT '',
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    old_enc BLOB,
    new_enc BLOB
);
CREATE INDEX member_history_member ON member_history (member_id, id);

CREATE TABLE custom_field_defs (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    type TEXT NOT NULL CHECK (type IN ('text', 'number', 'date', 'single', 'multi')),
    options TEXT NOT NULL DEFAULT '[]',
    required INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'active',
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL
);
