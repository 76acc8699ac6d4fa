-- Behaviour points granted at most once per period (registration, completed profile, daily
-- check-in, birthday month), and the points mall: gifts and partner vouchers 异业合作券 with
-- stock, redeemed for points or points + cash.

CREATE TABLE behaviour_grants (
    member_id INTEGER NOT NULL REFERENCES members (id),
    kind TEXT NOT NULL CHECK (kind IN ('registration', 'profile', 'checkin', 'birthday', 'survey')),
    period TEXT NOT NULL,
    points INTEGER NOT NULL,
    coupon_id INTEGER REFERENCES coupons (id),
    created_at INTEGER NOT NULL,
    PRIMARY KEY (member_id, kind, period)
);

CREATE TABLE gifts (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('goods', 'voucher')),
    partner TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    points INTEGER NOT NULL CHECK (points > 0),
    cash INTEGER NOT NULL DEFAULT 0 CHECK (cash >= 0),
    stock INTEGER NOT NULL DEFAULT 0 CHECK (stock >= 0),
    per_member_limit INTEGER NOT NULL DEFAULT 0 CHECK (per_member_limit >= 0),
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE gift_redemptions (
    id INTEGER PRIMARY KEY,
    gift_id INTEGER NOT NULL REFERENCES gifts (id),
    member_id INTEGER NOT NULL REFERENCES members (id),
    store_id INTEGER NOT NULL REFERENCES stores (id),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    points INTEGER NOT NULL,
    cash INTEGER NOT NULL,
    cash_method TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'redeemed' CHECK (status IN ('redeemed', 'cancelled')),
    operator_id INTEGER,
    created_at INTEGER NOT NULL,
    cancelled_at INTEGER
);
CREATE INDEX gift_redemptions_member ON gift_redemptions (member_id, id);

-- Partner voucher codes loaded in advance; a redemption takes the oldest free one.
CREATE TABLE gift_voucher_codes (
    id INTEGER PRIMARY KEY,
    gift_id INTEGER NOT NULL REFERENCES gifts (id),
    code TEXT NOT NULL,
    redemption_id INTEGER REFERENCES gift_redemptions (id),
    UNIQUE (gift_id, code)
);
CREATE INDEX gift_voucher_codes_free ON gift_voucher_codes (gift_id, redemption_id);

-- The first start after this migration grants the built-in roles the points-mall permission.
INSERT INTO sequences (name, value) VALUES ('builtin_roles.points_mall', 0);

-- The receipt layout 小票格式: a chain-wide default (store_id NULL) and optional per-store ones.
CREATE TABLE receipt_templates (
    id INTEGER PRIMARY KEY,
    store_id INTEGER UNIQUE REFERENCES stores (id),
    header TEXT NOT NULL DEFAULT '',
    footer TEXT NOT NULL DEFAULT '',
    show_member INTEGER NOT NULL DEFAULT 1,
    show_points INTEGER NOT NULL DEFAULT 1,
    version INTEGER NOT NULL DEFAULT 1,
    updated_at INTEGER NOT NULL
);
INSERT INTO receipt_templates (store_id, header, footer, updated_at) VALUES (NULL, '欢迎光临', '谢谢惠顾，欢迎再次光临', 0);

-- A referral may also give the referrer a coupon; a tier may give one on reaching it.
ALTER TABLE referrals ADD COLUMN coupon_id INTEGER REFERENCES coupons (id);
ALTER TABLE tiers ADD COLUMN upgrade_coupon_template_id INTEGER REFERENCES coupon_templates (id);
INSERT INTO loyalty_settings (key, value) VALUES ('referral_coupon_template_id', '0'), ('promo_dates', ''),
    ('promo_multiplier_pct', '200');
