-- 0018: account security. Staff two-factor authentication, contact
-- invitations, and who may see each portal notification.

-- Staff TOTP, as users have it. The secret is sealed (`auth::sealed`,
-- "sealed1:" text), never stored in the clear.
ALTER TABLE staff ADD COLUMN totp_secret TEXT;
ALTER TABLE staff ADD COLUMN totp_enabled_at TEXT;
-- The highest TOTP time step accepted: a code works once.
ALTER TABLE staff ADD COLUMN totp_last_step INTEGER;

-- One-time 2FA recovery codes of staff (sha256 of the code).
CREATE TABLE staff_recovery_codes (
    id        INTEGER PRIMARY KEY,
    staff_id  INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at   TEXT
) STRICT;
CREATE INDEX staff_recovery_codes_by_staff ON staff_recovery_codes (staff_id);

-- The pending second step of a staff login to the admin area.
CREATE TABLE staff_login_challenges (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    staff_id    INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    consumed_at TEXT
) STRICT;

-- A person invited to act for a client account. The membership is made
-- only when the invitee accepts with the emailed one-time token (sha256
-- stored); until then they have no access.
CREATE TABLE contact_invitations (
    id            INTEGER PRIMARY KEY,
    client_id     INTEGER NOT NULL REFERENCES clients (id) ON DELETE CASCADE,
    email         TEXT NOT NULL COLLATE NOCASE,
    first_name    TEXT NOT NULL,
    last_name     TEXT NOT NULL,
    -- JSON array of "group.name" privileges the membership will have.
    privileges    TEXT NOT NULL DEFAULT '[]',
    token_hash    TEXT NOT NULL UNIQUE,
    created_at    TEXT NOT NULL,
    expires_at    TEXT NOT NULL,
    accepted_at   TEXT,
    membership_id INTEGER REFERENCES memberships (id) ON DELETE SET NULL,
    revoked_at    TEXT
) STRICT;
CREATE INDEX contact_invitations_by_client ON contact_invitations (client_id, email);

-- Which contacts see a notification: a JSON array of privileges, any one
-- of which shows it (owners see all). '[]' means owners only.
ALTER TABLE notifications ADD COLUMN audience TEXT NOT NULL DEFAULT '[]';
UPDATE notifications SET audience = '["billing.payinvoice","billing.emails"]'
 WHERE kind IN ('invoice_created', 'invoice_paid', 'payment_reminder', 'overdue_notice');
UPDATE notifications SET audience = '["billing.orders","billing.payinvoice","billing.emails"]'
 WHERE kind = 'order_placed';
UPDATE notifications SET audience = '["services.full"]'
 WHERE kind IN ('service_activated', 'addon_activated', 'plan_changed', 'cancellation')
    OR kind LIKE 'service\_%' ESCAPE '\';
