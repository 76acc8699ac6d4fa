-- Catalogue, sales and the loyalty engine: products and stock, sales with lines, payments and
-- refunds, idempotency keys for POS retries, tiers, the points ledger with its lots, coupons,
-- referrals. Money is INTEGER fen; times are seconds since the epoch, UTC. Ledgers
-- (stock_movements, points_ledger, tier_changes) are append-only; the balances beside them
-- (stock.quantity, members.points_balance, points_lots.remaining) are caches a check recomputes.

CREATE TABLE product_categories (
    id INTEGER PRIMARY KEY,
    parent_id INTEGER REFERENCES product_categories (id),
    name TEXT NOT NULL,
    -- Points earned on this category, in percent of the base rate (200 = double points).
    points_multiplier_pct INTEGER NOT NULL DEFAULT 100 CHECK (points_multiplier_pct >= 0),
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    sku TEXT NOT NULL UNIQUE,
    barcode TEXT UNIQUE,
    name TEXT NOT NULL,
    name_fold TEXT NOT NULL DEFAULT '',
    category_id INTEGER REFERENCES product_categories (id),
    price INTEGER NOT NULL CHECK (price >= 0),
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX products_category ON products (category_id);

CREATE TABLE stock (
    store_id INTEGER NOT NULL REFERENCES stores (id),
    product_id INTEGER NOT NULL REFERENCES products (id),
    quantity INTEGER NOT NULL DEFAULT 0,
    low_threshold INTEGER NOT NULL DEFAULT 0 CHECK (low_threshold >= 0),
    PRIMARY KEY (store_id, product_id)
);
CREATE INDEX stock_product ON stock (product_id);

CREATE TABLE stock_movements (
    id INTEGER PRIMARY KEY,
    store_id INTEGER NOT NULL REFERENCES stores (id),
    product_id INTEGER NOT NULL REFERENCES products (id),
    quantity INTEGER NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('sale', 'refund', 'adjustment', 'transfer_in', 'transfer_out')),
    source_type TEXT NOT NULL DEFAULT '',
    source_id INTEGER,
    note TEXT NOT NULL DEFAULT '',
    operator_id INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX stock_movements_product ON stock_movements (store_id, product_id, id);

CREATE TABLE tiers (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    rank INTEGER NOT NULL UNIQUE,
    qualify_by TEXT NOT NULL DEFAULT 'spend' CHECK (qualify_by IN ('spend', 'purchases')),
    -- The rolling window in days over which spend or purchases count; 0 = lifetime.
    window_days INTEGER NOT NULL DEFAULT 365 CHECK (window_days >= 0),
    threshold INTEGER NOT NULL DEFAULT 0 CHECK (threshold >= 0),
    discount_pct INTEGER NOT NULL DEFAULT 0 CHECK (discount_pct BETWEEN 0 AND 100),
    points_multiplier_pct INTEGER NOT NULL DEFAULT 100 CHECK (points_multiplier_pct >= 0),
    birthday_points INTEGER NOT NULL DEFAULT 0 CHECK (birthday_points >= 0),
    birthday_coupon_template_id INTEGER,
    privileges TEXT NOT NULL DEFAULT '',
    grace_days INTEGER NOT NULL DEFAULT 30 CHECK (grace_days >= 0),
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

ALTER TABLE members ADD COLUMN tier_id INTEGER REFERENCES tiers (id);
ALTER TABLE members ADD COLUMN points_balance INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN total_spend INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN purchase_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE members ADD COLUMN first_purchase_at INTEGER;
ALTER TABLE members ADD COLUMN last_purchase_at INTEGER;
ALTER TABLE members ADD COLUMN referral_code TEXT;
-- When a review found the member below their tier: the downgrade waits out the grace period.
ALTER TABLE members ADD COLUMN tier_review_due_at INTEGER;
UPDATE members SET referral_code = upper(hex(randomblob(5)));
CREATE UNIQUE INDEX members_referral_code ON members (referral_code);
CREATE INDEX members_last_purchase ON members (last_purchase_at);
CREATE INDEX members_total_spend ON members (total_spend);

CREATE TABLE tier_changes (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members (id),
    from_tier_id INTEGER REFERENCES tiers (id),
    to_tier_id INTEGER REFERENCES tiers (id),
    reason TEXT NOT NULL CHECK (reason IN ('upgrade', 'downgrade', 'manual', 'initial')),
    detail TEXT NOT NULL DEFAULT '',
    source_type TEXT NOT NULL DEFAULT '',
    source_id INTEGER,
    operator_id INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX tier_changes_member ON tier_changes (member_id, id);

-- Loyalty settings as key/value rows (points per yuan, redemption rate and cap, expiry...).
CREATE TABLE loyalty_settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE coupon_templates (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('amount_off', 'percent_off', 'gift')),
    amount_off INTEGER NOT NULL DEFAULT 0 CHECK (amount_off >= 0),
    percent_off INTEGER NOT NULL DEFAULT 0 CHECK (percent_off BETWEEN 0 AND 100),
    max_discount INTEGER NOT NULL DEFAULT 0 CHECK (max_discount >= 0),
    min_spend INTEGER NOT NULL DEFAULT 0 CHECK (min_spend >= 0),
    gift_sku TEXT NOT NULL DEFAULT '',
    valid_from INTEGER,
    valid_until INTEGER,
    valid_days INTEGER NOT NULL DEFAULT 0 CHECK (valid_days >= 0),
    store_ids TEXT NOT NULL DEFAULT '[]',
    category_ids TEXT NOT NULL DEFAULT '[]',
    per_member_limit INTEGER NOT NULL DEFAULT 0 CHECK (per_member_limit >= 0),
    stackable INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive')),
    version INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE coupons (
    id INTEGER PRIMARY KEY,
    template_id INTEGER NOT NULL REFERENCES coupon_templates (id),
    member_id INTEGER NOT NULL REFERENCES members (id),
    code TEXT NOT NULL UNIQUE,
    status TEXT NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'used', 'expired', 'voided')),
    valid_from INTEGER NOT NULL,
    valid_until INTEGER NOT NULL,
    issue_reason TEXT NOT NULL DEFAULT 'manual',
    issued_by INTEGER,
    issued_at INTEGER NOT NULL,
    used_at INTEGER,
    sale_id INTEGER,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX coupons_member ON coupons (member_id, status);
CREATE INDEX coupons_template ON coupons (template_id, member_id);

CREATE TABLE sales (
    id INTEGER PRIMARY KEY,
    store_id INTEGER NOT NULL REFERENCES stores (id),
    terminal TEXT NOT NULL,
    receipt_no TEXT NOT NULL,
    member_id INTEGER REFERENCES members (id),
    cashier_id INTEGER,
    guide_id INTEGER,
    sold_at INTEGER NOT NULL,
    subtotal INTEGER NOT NULL,
    line_discount INTEGER NOT NULL,
    tier_discount INTEGER NOT NULL,
    coupon_discount INTEGER NOT NULL,
    points_redeemed INTEGER NOT NULL,
    points_value INTEGER NOT NULL,
    total INTEGER NOT NULL,
    points_earned INTEGER NOT NULL,
    refunded_amount INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'completed' CHECK (status IN ('completed', 'partially_refunded', 'refunded')),
    created_by_token INTEGER,
    created_at INTEGER NOT NULL,
    UNIQUE (store_id, terminal, receipt_no)
);
CREATE INDEX sales_member ON sales (member_id, sold_at);
CREATE INDEX sales_store_time ON sales (store_id, sold_at);

CREATE TABLE sale_lines (
    id INTEGER PRIMARY KEY,
    sale_id INTEGER NOT NULL REFERENCES sales (id),
    line_no INTEGER NOT NULL,
    product_id INTEGER NOT NULL REFERENCES products (id),
    sku TEXT NOT NULL,
    name TEXT NOT NULL,
    category_id INTEGER,
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    unit_price INTEGER NOT NULL,
    discount INTEGER NOT NULL,
    tier_discount INTEGER NOT NULL,
    coupon_discount INTEGER NOT NULL,
    points_used INTEGER NOT NULL,
    points_value INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    points_earned INTEGER NOT NULL,
    refunded_quantity INTEGER NOT NULL DEFAULT 0,
    UNIQUE (sale_id, line_no)
);
CREATE INDEX sale_lines_product ON sale_lines (product_id);

CREATE TABLE sale_payments (
    id INTEGER PRIMARY KEY,
    sale_id INTEGER NOT NULL REFERENCES sales (id),
    method TEXT NOT NULL CHECK (method IN ('cash', 'bank_card', 'wechat_pay', 'alipay', 'points', 'other')),
    amount INTEGER NOT NULL CHECK (amount >= 0)
);
CREATE INDEX sale_payments_sale ON sale_payments (sale_id);

CREATE TABLE sale_coupons (
    sale_id INTEGER NOT NULL REFERENCES sales (id),
    coupon_id INTEGER NOT NULL REFERENCES coupons (id),
    discount INTEGER NOT NULL,
    PRIMARY KEY (sale_id, coupon_id)
);

CREATE TABLE refunds (
    id INTEGER PRIMARY KEY,
    sale_id INTEGER NOT NULL REFERENCES sales (id),
    store_id INTEGER NOT NULL REFERENCES stores (id),
    amount INTEGER NOT NULL,
    points_reversed INTEGER NOT NULL,
    points_restored INTEGER NOT NULL,
    points_shortfall_value INTEGER NOT NULL DEFAULT 0,
    reason TEXT NOT NULL DEFAULT '',
    operator_id INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX refunds_sale ON refunds (sale_id);

CREATE TABLE refund_lines (
    refund_id INTEGER NOT NULL REFERENCES refunds (id),
    sale_line_id INTEGER NOT NULL REFERENCES sale_lines (id),
    quantity INTEGER NOT NULL CHECK (quantity > 0),
    amount INTEGER NOT NULL,
    PRIMARY KEY (refund_id, sale_line_id)
);

CREATE TABLE points_lots (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members (id),
    points INTEGER NOT NULL CHECK (points > 0),
    remaining INTEGER NOT NULL CHECK (remaining >= 0),
    earned_at INTEGER NOT NULL,
    expires_at INTEGER
);
CREATE INDEX points_lots_member ON points_lots (member_id, remaining, expires_at);
CREATE INDEX points_lots_expiry ON points_lots (expires_at, remaining);

CREATE TABLE points_ledger (
    id INTEGER PRIMARY KEY,
    member_id INTEGER NOT NULL REFERENCES members (id),
    delta INTEGER NOT NULL,
    balance_after INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('earn', 'redeem', 'refund', 'expire', 'adjust', 'behaviour', 'referral')),
    reason TEXT NOT NULL DEFAULT '',
    source_type TEXT NOT NULL DEFAULT '',
    source_id INTEGER,
    lot_id INTEGER REFERENCES points_lots (id),
    store_id INTEGER,
    operator_id INTEGER,
    created_at INTEGER NOT NULL
);
CREATE INDEX points_ledger_member ON points_ledger (member_id, id);
CREATE INDEX points_ledger_source ON points_ledger (source_type, source_id);

-- Which lots a redemption drew on, so a refund gives the same points back to the same lots.
CREATE TABLE points_lot_draws (
    ledger_id INTEGER NOT NULL REFERENCES points_ledger (id),
    lot_id INTEGER NOT NULL REFERENCES points_lots (id),
    points INTEGER NOT NULL CHECK (points > 0),
    restored INTEGER NOT NULL DEFAULT 0 CHECK (restored BETWEEN 0 AND points),
    PRIMARY KEY (ledger_id, lot_id)
);

CREATE TABLE referrals (
    id INTEGER PRIMARY KEY,
    referrer_id INTEGER NOT NULL REFERENCES members (id),
    referee_id INTEGER NOT NULL UNIQUE REFERENCES members (id),
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'rewarded', 'revoked')),
    first_sale_id INTEGER REFERENCES sales (id),
    reward_points INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX referrals_referrer ON referrals (referrer_id);

-- A POS request's Idempotency-Key: the first response is kept and replayed byte for byte.
CREATE TABLE idempotency_keys (
    owner TEXT NOT NULL,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status_code INTEGER NOT NULL,
    response_body TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (owner, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

INSERT INTO loyalty_settings (key, value) VALUES
    ('points_per_yuan', '1'),
    ('redeem_points_per_yuan', '100'),
    ('redeem_cap_pct', '50'),
    ('expiry', 'end_of_next_year'),
    ('member_day', ''),
    ('member_day_multiplier_pct', '200'),
    ('registration_points', '0'),
    ('profile_points', '0'),
    ('checkin_points', '0'),
    ('referral_points', '500'),
    ('survey_points', '0');

-- The first start after this migration grants the built-in roles their sales and loyalty permissions.
INSERT INTO sequences (name, value) VALUES ('builtin_roles.sales_loyalty', 0);
