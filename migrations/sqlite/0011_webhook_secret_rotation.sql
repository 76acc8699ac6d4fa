-- A rotated webhook secret keeps signing beside the new one until previous_secret_until, so a
-- receiver can switch over without refusing deliveries.
ALTER TABLE webhooks ADD COLUMN previous_secret_enc BLOB;
ALTER TABLE webhooks ADD COLUMN previous_secret_until INTEGER;
