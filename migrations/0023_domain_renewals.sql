-- 0023: domain renewals. A domain's term is billed like a service's
-- period: a `domain` invoice line with the domain and the term it buys
-- (period_start = the expiry it renews from), once per term (a released
-- line, from a cancelled invoice, may be billed again). Reminders before
-- expiry are sent once per expiry date and threshold.

CREATE UNIQUE INDEX invoice_items_domain_period ON invoice_items (domain_id, period_start)
    WHERE kind = 'domain' AND domain_id IS NOT NULL AND period_start IS NOT NULL
      AND period_outcome IS NOT 'released';

CREATE TABLE domain_reminders (
    domain_id   INTEGER NOT NULL REFERENCES domains (id),
    -- The expiry the reminder was about: a renewed domain is reminded
    -- again before its next one.
    expiry_date TEXT NOT NULL,
    days_before INTEGER NOT NULL CHECK (days_before BETWEEN 0 AND 365),
    sent_at     TEXT NOT NULL,
    PRIMARY KEY (domain_id, expiry_date, days_before)
) STRICT, WITHOUT ROWID;

-- A registrar task may also delete a name before its expiry (reference
-- 000's immediate cancel). SQLite cannot change a CHECK in place, so the
-- table is rebuilt with its rows and indexes; nothing references it.
CREATE TABLE registrar_tasks_new (
    id          INTEGER PRIMARY KEY,
    domain_id   INTEGER NOT NULL REFERENCES domains (id),
    action      TEXT NOT NULL CHECK (action IN ('register', 'transfer', 'renew', 'sync',
                    'nameservers', 'lock', 'contacts', 'id_protection', 'delete')),
    dedupe_key  TEXT NOT NULL UNIQUE,
    payload     TEXT NOT NULL DEFAULT '{}',
    status      TEXT NOT NULL DEFAULT 'queued'
                CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    run_after   TEXT NOT NULL,
    lease_until TEXT,
    last_error  TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
INSERT INTO registrar_tasks_new SELECT * FROM registrar_tasks;
DROP TABLE registrar_tasks;
ALTER TABLE registrar_tasks_new RENAME TO registrar_tasks;
CREATE INDEX registrar_tasks_due ON registrar_tasks (status, run_after);
CREATE INDEX registrar_tasks_by_domain ON registrar_tasks (domain_id, id);
