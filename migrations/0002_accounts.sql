-- 0002: users, client accounts, memberships, sessions and tokens, API keys,
-- the email outbox.

-- A person who logs in.
CREATE TABLE users (
    id                INTEGER PRIMARY KEY,
    uuid              TEXT NOT NULL UNIQUE,
    email             TEXT NOT NULL UNIQUE COLLATE NOCASE,
    first_name        TEXT NOT NULL,
    last_name         TEXT NOT NULL,
    -- NULL: this user cannot log in (a contact created without a password).
    password_hash     TEXT,
    email_verified_at TEXT,
    -- base32; present while 2FA is being set up or is on.
    totp_secret       TEXT,
    totp_enabled_at   TEXT,
    -- The highest TOTP time step accepted: a code works once.
    totp_last_step    INTEGER,
    status            TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    last_login_at     TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
) STRICT;

-- One-time 2FA recovery codes (sha256 of the code).
CREATE TABLE recovery_codes (
    id        INTEGER PRIMARY KEY,
    user_id   INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at   TEXT
) STRICT;
CREATE INDEX recovery_codes_by_user ON recovery_codes (user_id);

-- A billing account: a person or a company.
CREATE TABLE clients (
    id             INTEGER PRIMARY KEY,
    uuid           TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL DEFAULT 'person' CHECK (kind IN ('person', 'company')),
    first_name     TEXT NOT NULL,
    last_name      TEXT NOT NULL,
    company_name   TEXT,
    company_number TEXT,
    email          TEXT NOT NULL,
    phone          TEXT NOT NULL DEFAULT '',
    address1       TEXT NOT NULL DEFAULT '',
    address2       TEXT NOT NULL DEFAULT '',
    city           TEXT NOT NULL DEFAULT '',
    state          TEXT NOT NULL DEFAULT '',
    postcode       TEXT NOT NULL DEFAULT '',
    -- ISO 3166-1 alpha-2, upper case; '' when unknown.
    country        TEXT NOT NULL DEFAULT '',
    vat_id         TEXT,
    currency_code  TEXT NOT NULL,
    -- Minor units of currency_code.
    credit_balance INTEGER NOT NULL DEFAULT 0 CHECK (credit_balance >= 0),
    status         TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'inactive', 'closed')),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
) STRICT;
CREATE INDEX clients_by_email ON clients (email COLLATE NOCASE);

-- Who may act for which client, and with which privileges.
CREATE TABLE memberships (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id  INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    role       TEXT NOT NULL CHECK (role IN ('owner', 'contact')),
    -- JSON array of "group.name" privileges; owners have them all.
    privileges TEXT NOT NULL DEFAULT '[]',
    created_at TEXT NOT NULL,
    UNIQUE (user_id, client_id)
) STRICT;
CREATE INDEX memberships_by_client ON memberships (client_id);

-- A login: a browser session or an API session (a refresh-token family).
CREATE TABLE sessions (
    id                   INTEGER PRIMARY KEY,
    uuid                 TEXT NOT NULL UNIQUE,
    user_id              INTEGER REFERENCES users (id) ON DELETE CASCADE,
    staff_id             INTEGER REFERENCES staff (id) ON DELETE CASCADE,
    kind                 TEXT NOT NULL CHECK (kind IN ('web', 'api')),
    name                 TEXT NOT NULL,
    -- web: sha256 of the cookie's secret.
    secret_hash          TEXT UNIQUE,
    -- web: the synchronizer CSRF token of this session.
    csrf_token           TEXT,
    active_client_id     INTEGER REFERENCES clients (id) ON DELETE SET NULL,
    created_at           TEXT NOT NULL,
    expires_at           TEXT NOT NULL,
    idle_expires_at      TEXT NOT NULL,
    last_used_at         TEXT NOT NULL,
    last_used_ip         TEXT,
    last_used_user_agent TEXT,
    revoked_at           TEXT,
    revoked_reason       TEXT,
    CHECK ((user_id IS NULL) <> (staff_id IS NULL))
) STRICT;
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_staff ON sessions (staff_id);

-- Rotating refresh tokens; each session is one family.
CREATE TABLE refresh_tokens (
    id         INTEGER PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    parent_id  INTEGER UNIQUE REFERENCES refresh_tokens (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    rotated_at TEXT
) STRICT;
CREATE INDEX refresh_tokens_by_session ON refresh_tokens (session_id);

-- The pending second step of a browser login with 2FA.
CREATE TABLE login_challenges (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    user_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    consumed_at TEXT
) STRICT;

-- Email verification and password reset links.
CREATE TABLE email_tokens (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
) STRICT;
CREATE INDEX email_tokens_by_user ON email_tokens (user_id, purpose);

-- Staff API keys: shown once, stored as sha256.
CREATE TABLE api_keys (
    id           INTEGER PRIMARY KEY,
    uuid         TEXT NOT NULL UNIQUE,
    staff_id     INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL UNIQUE,
    secret_hash  TEXT NOT NULL,
    scopes       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    last_used_ip TEXT,
    expires_at   TEXT,
    revoked_at   TEXT
) STRICT;

-- Email waiting to be sent, written in the same transaction as its cause.
CREATE TABLE email_outbox (
    id              INTEGER PRIMARY KEY,
    template        TEXT NOT NULL,
    to_address      TEXT NOT NULL,
    subject         TEXT NOT NULL,
    text_body       TEXT NOT NULL,
    html_body       TEXT,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    last_error      TEXT,
    created_at      TEXT NOT NULL,
    sent_at         TEXT
) STRICT;
CREATE INDEX email_outbox_due ON email_outbox (status, next_attempt_at);

-- Customers see the audit rows of their own client accounts.
ALTER TABLE audit_log ADD COLUMN client_id INTEGER REFERENCES clients (id) ON DELETE SET NULL;
CREATE INDEX audit_log_by_client ON audit_log (client_id, id);
