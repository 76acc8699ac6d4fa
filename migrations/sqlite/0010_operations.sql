-- Operations and security: two-factor sign-in, the hash chain over the audit log (which the
-- database now refuses to change), settings for backups, privacy retention and sign-in policy,
-- and file imports with their progress and bad-row reports.
INSERT INTO sequences (name, value) VALUES ('builtin_roles.operations', 0);

ALTER TABLE staff ADD COLUMN totp_secret_enc TEXT;
ALTER TABLE staff ADD COLUMN totp_pending_enc TEXT;
-- The last 30-second step a code was accepted for: a code is good once (RFC 6238 §5.2).
ALTER TABLE staff ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;

CREATE TABLE staff_recovery_codes (
    id INTEGER PRIMARY KEY,
    staff_id INTEGER NOT NULL REFERENCES staff (id),
    code_hash TEXT NOT NULL,
    used_at INTEGER
);
CREATE INDEX staff_recovery_codes_staff ON staff_recovery_codes (staff_id);

CREATE TABLE ops_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
-- HQ admins sign in with a second factor (init --totp-roles and PUT /security/settings change it).
INSERT INTO ops_settings (key, value) VALUES ('security.totp_required_roles', '["hq_admin"]');

-- hash = SHA-256(previous hash ‖ the entry's fields), written by job audit.seal in id order.
CREATE TABLE audit_chain (
    audit_id INTEGER PRIMARY KEY REFERENCES audit_log (id),
    hash TEXT NOT NULL
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_chain_no_update BEFORE UPDATE ON audit_chain
BEGIN SELECT RAISE(ABORT, 'audit_chain is append-only'); END;
CREATE TRIGGER audit_chain_no_delete BEFORE DELETE ON audit_chain
BEGIN SELECT RAISE(ABORT, 'audit_chain is append-only'); END;

CREATE TABLE imports (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('members', 'products', 'sales', 'history')),
    file_name TEXT NOT NULL DEFAULT '',
    dry_run INTEGER NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    total_rows INTEGER NOT NULL DEFAULT 0,
    processed_rows INTEGER NOT NULL DEFAULT 0,
    written_rows INTEGER NOT NULL DEFAULT 0,
    error_count INTEGER NOT NULL DEFAULT 0,
    errors TEXT NOT NULL DEFAULT '[]',
    message TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES staff (id),
    created_at INTEGER NOT NULL,
    started_at INTEGER,
    finished_at INTEGER
);

-- A member under 14 joins only with a guardian's consent (PIPL art. 31), taken at the counter.
CREATE TABLE member_guardians (
    member_id INTEGER PRIMARY KEY REFERENCES members (id),
    name TEXT NOT NULL,
    phone_enc BLOB NOT NULL,
    relation TEXT NOT NULL CHECK (relation IN ('parent', 'guardian')),
    consented_at INTEGER NOT NULL,
    store_id INTEGER NOT NULL REFERENCES stores (id),
    recorded_by_id INTEGER,
    recorded_by_name TEXT NOT NULL DEFAULT ''
);
