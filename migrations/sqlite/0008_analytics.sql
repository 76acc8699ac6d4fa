-- The analysis reports: the first start after this migration grants the built-in roles the
-- new analytics.read permission (the sales columns themselves live in memory).
INSERT INTO sequences (name, value) VALUES ('builtin_roles.analytics', 0);
