-- 0013: servers a provisioning module talks to, grouped so a product can
-- be placed on the least-full server of its group; where each service
-- lives; and the per-product module secret (webhook signing key).
--
-- Secrets are XChaCha20-Poly1305 sealed (24-byte nonce || ciphertext+tag)
-- under a key derived from the instance master key; never stored plain.

CREATE TABLE server_groups (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,
    -- How a server is picked: the one with the most room left.
    fill_strategy TEXT NOT NULL DEFAULT 'least_full' CHECK (fill_strategy IN ('least_full')),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;

CREATE TABLE servers (
    id           INTEGER PRIMARY KEY,
    uuid         TEXT NOT NULL UNIQUE,
    group_id     INTEGER REFERENCES server_groups (id),
    name         TEXT NOT NULL,
    hostname     TEXT NOT NULL,
    address      TEXT NOT NULL DEFAULT '',
    -- manual, webhook or cpanel.
    module       TEXT NOT NULL,
    -- https (default) or http (tests, or a panel behind a local proxy).
    scheme       TEXT NOT NULL DEFAULT 'https' CHECK (scheme IN ('https', 'http')),
    port         INTEGER CHECK (port IS NULL OR (port > 0 AND port < 65536)),
    username     TEXT NOT NULL DEFAULT '',
    secret       BLOB,
    -- Most accounts the server takes.
    capacity     INTEGER NOT NULL DEFAULT 0 CHECK (capacity >= 0),
    active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    nameservers  TEXT NOT NULL DEFAULT '[]',
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) STRICT;
CREATE INDEX servers_by_group ON servers (group_id, active);

ALTER TABLE products ADD COLUMN server_group_id INTEGER REFERENCES server_groups (id);
ALTER TABLE products ADD COLUMN module_secret BLOB;

ALTER TABLE services ADD COLUMN server_id INTEGER REFERENCES servers (id);
ALTER TABLE services ADD COLUMN username TEXT;
ALTER TABLE services ADD COLUMN provisioned_at TEXT;
CREATE INDEX services_by_server ON services (server_id, status);
