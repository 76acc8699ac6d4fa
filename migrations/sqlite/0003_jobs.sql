-- Scheduled jobs shared by every instance: one row per job; an instance runs a job only after
-- claiming its lease with one conditional UPDATE, so each due slot runs exactly once.
CREATE TABLE jobs (
    name TEXT PRIMARY KEY,
    next_run_at INTEGER NOT NULL,
    lease_owner TEXT,
    lease_until INTEGER,
    last_run_at INTEGER,
    last_status TEXT NOT NULL DEFAULT ''
);

-- One row per run: which instance ran which slot, and how it ended.
CREATE TABLE job_runs (
    id INTEGER PRIMARY KEY,
    job TEXT NOT NULL,
    slot INTEGER NOT NULL,
    instance TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER NOT NULL,
    status TEXT NOT NULL
);
CREATE INDEX job_runs_job ON job_runs (job, slot);
