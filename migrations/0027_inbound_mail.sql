-- Support mail in: every email that arrived (piped by the MTA or fetched
-- from a department's IMAP mailbox) and what became of it. The per-sender
-- limits count from here, so they hold across processes (`till tickets
-- pipe` is a new process per email), and staff see what came in.
CREATE TABLE inbound_mail (
    id            INTEGER PRIMARY KEY,
    received_at   TEXT NOT NULL,
    -- 'pipe' (till tickets pipe) or 'imap' (a department's mailbox).
    via           TEXT NOT NULL CHECK (via IN ('pipe', 'imap')),
    -- The From address, lower-cased ('' when it had none).
    sender        TEXT NOT NULL COLLATE NOCASE,
    -- The Message-ID in angle brackets, if it had one.
    message_id    TEXT,
    -- At most 200 characters of the subject, for the log.
    subject       TEXT NOT NULL DEFAULT '',
    size          INTEGER NOT NULL CHECK (size >= 0),
    department_id INTEGER REFERENCES support_departments (id) ON DELETE SET NULL,
    ticket_id     INTEGER REFERENCES tickets (id),
    message_row   INTEGER REFERENCES ticket_messages (id),
    -- posted (a reply on a ticket), opened (a new ticket), bounced (not
    -- posted; the sender was told), dropped (not posted; nobody was told).
    outcome       TEXT NOT NULL CHECK (outcome IN ('posted', 'opened', 'bounced', 'dropped')),
    -- Why, as a short word (automatic, own_message, not_allowed, ...).
    reason        TEXT NOT NULL,
    -- 1 when a reply went to the sender (a bounce, or the note about
    -- refused attachments): what `bounces_per_day` counts.
    answered      INTEGER NOT NULL DEFAULT 0 CHECK (answered IN (0, 1))
) STRICT;
CREATE INDEX inbound_mail_by_sender ON inbound_mail (sender, received_at);
CREATE INDEX inbound_mail_by_message_id ON inbound_mail (message_id)
    WHERE message_id IS NOT NULL;
CREATE INDEX inbound_mail_recent ON inbound_mail (received_at);

-- A department's optional IMAP mailbox, polled every minute. The password
-- is sealed (auth::sealed, bound to the department) and never shown back.
ALTER TABLE support_departments ADD COLUMN imap_host TEXT;
ALTER TABLE support_departments ADD COLUMN imap_port INTEGER;
ALTER TABLE support_departments ADD COLUMN imap_tls TEXT
    CHECK (imap_tls IN ('tls', 'starttls', 'plain'));
ALTER TABLE support_departments ADD COLUMN imap_username TEXT;
ALTER TABLE support_departments ADD COLUMN imap_password_sealed TEXT;
ALTER TABLE support_departments ADD COLUMN imap_folder TEXT;
-- The last poll: when, and what went wrong ('' when nothing did).
ALTER TABLE support_departments ADD COLUMN imap_polled_at TEXT;
ALTER TABLE support_departments ADD COLUMN imap_error TEXT;
