-- The member's own pages: scan-to-join, one-time SMS codes, member sessions (separate from
-- staff sessions), the versioned privacy notice, and the deletion-request queue.

-- One-time sign-in codes: only a hash is kept; limits count rows per phone and per address.
CREATE TABLE otp_codes (
    id INTEGER PRIMARY KEY,
    phone_bidx BLOB NOT NULL,
    code_hash TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    expires_at INTEGER NOT NULL,
    used_at INTEGER,
    ip TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX otp_codes_phone ON otp_codes (phone_bidx, created_at);
CREATE INDEX otp_codes_ip ON otp_codes (ip, created_at);

CREATE TABLE member_sessions (
    id INTEGER PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    member_id INTEGER NOT NULL REFERENCES members (id),
    csrf_token TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER,
    ip TEXT NOT NULL DEFAULT '',
    user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX member_sessions_member ON member_sessions (member_id);

CREATE TABLE privacy_notices (
    version INTEGER PRIMARY KEY,
    text_zh TEXT NOT NULL,
    text_en TEXT NOT NULL,
    created_at INTEGER NOT NULL
);
INSERT INTO privacy_notices (version, text_zh, text_en, created_at) VALUES (1,
 '我们收集您的手机号、姓名、性别和生日，用于会员身份识别、积分与优惠权益和售后服务；营销短信与邮件仅在您单独同意后发送，可随时退订。您可以在会员中心查看、下载、更正您的信息或申请注销。未满14周岁的用户须由监护人同意后注册。',
 'We collect your phone number, name, gender and birthday to identify you as a member, run your points and benefits, and serve you after a purchase. Marketing by SMS or email is sent only with your separate consent, which you can withdraw at any time. In the member centre you can view, download and correct your data or ask for deletion. Children under 14 need a guardian''s consent.',
 0);

-- The wording a consent was given to, and where: the consent ledger's proof.
ALTER TABLE member_consents ADD COLUMN wording_version INTEGER;
ALTER TABLE member_consents ADD COLUMN store_id INTEGER REFERENCES stores (id);

CREATE TABLE deletion_requests (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members (id),
    store_id INTEGER NOT NULL REFERENCES stores (id),
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected')),
    reason TEXT NOT NULL DEFAULT '',
    requested_at INTEGER NOT NULL,
    decided_by INTEGER REFERENCES staff (id),
    decided_at INTEGER,
    decision_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX deletion_requests_status ON deletion_requests (status, requested_at);

INSERT INTO sequences (name, value) VALUES ('builtin_roles.portal', 0);
