-- 0021: the domain lifecycle. Registrars are configured by staff (their
-- settings sealed like servers' secrets), each TLD is mapped to one (none:
-- the manual registrar, a staff to-do), domains keep what the registrar
-- says (expiry, nameservers, lock, statuses) and what the customer chose
-- (auto-renew), and every registrar call is a durable task written with
-- its cause, like module tasks.

CREATE TABLE registrars (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL UNIQUE,
    module          TEXT NOT NULL CHECK (module IN ('manual', 'epp', 'logicboxes')),
    -- integrations::registrars::RegistrarConfig as JSON, sealed with the
    -- instance's credential key (auth::seal); never shown back.
    settings_sealed BLOB NOT NULL,
    -- How many calls a second the sync job allows itself here.
    rate_per_second INTEGER NOT NULL DEFAULT 5 CHECK (rate_per_second BETWEEN 1 AND 100),
    enabled         INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;

-- NULL: the manual registrar.
ALTER TABLE tlds ADD COLUMN registrar_id INTEGER REFERENCES registrars (id);

-- The registrar that holds it (taken from its TLD when it was ordered).
ALTER TABLE domains ADD COLUMN registrar_id INTEGER REFERENCES registrars (id);
ALTER TABLE domains ADD COLUMN expiry_date TEXT;
ALTER TABLE domains ADD COLUMN auto_renew INTEGER NOT NULL DEFAULT 1 CHECK (auto_renew IN (0, 1));
-- A JSON array of host names, as the registrar last said or was told.
ALTER TABLE domains ADD COLUMN nameservers TEXT NOT NULL DEFAULT '[]';
ALTER TABLE domains ADD COLUMN locked INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1));
ALTER TABLE domains ADD COLUMN id_protection INTEGER NOT NULL DEFAULT 0 CHECK (id_protection IN (0, 1));
-- The registry's own statuses (JSON array: ok, redemptionPeriod, ...).
ALTER TABLE domains ADD COLUMN registry_statuses TEXT NOT NULL DEFAULT '[]';
-- A transfer's auth code, sealed; never shown back.
ALTER TABLE domains ADD COLUMN epp_code_sealed BLOB;
ALTER TABLE domains ADD COLUMN synced_at TEXT;
CREATE INDEX domains_by_expiry ON domains (status, expiry_date);

CREATE TABLE registrar_tasks (
    id          INTEGER PRIMARY KEY,
    domain_id   INTEGER NOT NULL REFERENCES domains (id),
    action      TEXT NOT NULL CHECK (action IN ('register', 'transfer', 'renew', 'sync',
                    'nameservers', 'lock', 'contacts', 'id_protection')),
    -- One task per domain and cause (`register:12`, `renew:12:invoice:40`):
    -- a paid registration is asked for once, whatever retries the cause.
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
CREATE INDEX registrar_tasks_due ON registrar_tasks (status, run_after);
CREATE INDEX registrar_tasks_by_domain ON registrar_tasks (domain_id, id);
