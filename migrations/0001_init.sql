-- 0001: settings, staff, audit log.
-- Timestamps are UTC RFC 3339 text with second precision ("2026-11-22T15:31:42Z"),
-- which sorts in time order as text.

-- Generated secrets and instance-wide settings that staff change at run time
-- (the static ones live in till.toml).
CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- People who run the business, logging in to /admin.
CREATE TABLE staff (
    id            INTEGER PRIMARY KEY,
    uuid          TEXT NOT NULL UNIQUE,
    email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name          TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('admin', 'billing', 'support')),
    disabled_at   TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;

-- Every state change: who, what, on what, from where, when.
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    occurred_at  TEXT NOT NULL,
    actor_type   TEXT NOT NULL CHECK (actor_type IN ('system', 'staff', 'user', 'api_key')),
    actor_id     INTEGER,
    action       TEXT NOT NULL,
    subject_type TEXT,
    subject_id   INTEGER,
    ip           TEXT,
    details      TEXT NOT NULL DEFAULT '{}'
) STRICT;

CREATE INDEX audit_log_by_time ON audit_log (occurred_at, id);
CREATE INDEX audit_log_by_subject ON audit_log (subject_type, subject_id);
