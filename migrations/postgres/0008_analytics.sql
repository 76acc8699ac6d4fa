-- PostgreSQL dialect of sqlite/0008 (schema_test checks both agree).
-- The analysis reports: the first start after this migration grants the built-in roles the
-- new analytics.read permission (the sales columns themselves live in memory).
INSERT INTO sequences (name, value) VALUES ('builtin_roles.analytics', 0);

-- What an import made of another system's ids (customer numbers, cancellation invoices), so
-- importing the same file again finds them instead of adding them twice.
CREATE TABLE import_refs (
    source TEXT COLLATE "C" NOT NULL,
    kind TEXT COLLATE "C" NOT NULL,
    external_id TEXT COLLATE "C" NOT NULL,
    local_id BIGINT NOT NULL,
    PRIMARY KEY (source, kind, external_id)
);
