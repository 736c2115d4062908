-- 0004: a record of every scheduled job run, for staff and for catching up.

CREATE TABLE job_runs (
    id          INTEGER PRIMARY KEY,
    job         TEXT NOT NULL,
    -- The instant the job ran for (the clock's "now", which `till jobs run
    -- --at` may set).
    run_for     TEXT NOT NULL,
    started_at  TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('ok', 'failed')),
    count       INTEGER NOT NULL DEFAULT 0,
    error       TEXT
) STRICT;
CREATE INDEX job_runs_by_job ON job_runs (job, id);
