-- 0012: provisioning module calls as durable tasks. A task is written in
-- the same transaction as the change that needs it (a payment, a
-- suspension), and the module worker runs it outside any transaction,
-- retrying with backoff; a task that keeps failing is 'failed' for staff.

CREATE TABLE module_tasks (
    id           INTEGER PRIMARY KEY,
    service_id   INTEGER NOT NULL REFERENCES services (id),
    -- create, suspend, unsuspend, terminate, change_package, change_password
    action       TEXT NOT NULL CHECK (action IN ('create', 'suspend', 'unsuspend', 'terminate',
                                                 'change_package', 'change_password')),
    -- Action input as JSON (e.g. the new package); secrets are never stored.
    payload      TEXT NOT NULL DEFAULT '{}',
    status       TEXT NOT NULL DEFAULT 'queued'
                 CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    attempts     INTEGER NOT NULL DEFAULT 0,
    run_after    TEXT NOT NULL,
    -- A worker's claim: until this time no other worker takes the task.
    lease_until  TEXT,
    last_error   TEXT,
    -- Makes a request idempotent: the same cause asks once (e.g.
    -- 'suspend:overdue:<invoice id>').
    dedupe_key   TEXT UNIQUE,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) STRICT;
CREATE INDEX module_tasks_due ON module_tasks (status, run_after);
CREATE INDEX module_tasks_by_service ON module_tasks (service_id, id);
