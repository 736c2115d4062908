-- The support desk: departments, tickets, their messages (replies and
-- internal notes), attachments stored as blobs in this one file, staff
-- watching tickets, canned replies, and full-text search over tickets.

CREATE TABLE support_departments (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE COLLATE NOCASE,
    description TEXT NOT NULL DEFAULT '',
    -- 0: staff-only (staff may file tickets there; customers never see it).
    visible     INTEGER NOT NULL DEFAULT 1 CHECK (visible IN (0, 1)),
    -- The address mail to this department arrives at, and replies come from.
    email       TEXT COLLATE NOCASE,
    auto_reply  INTEGER NOT NULL DEFAULT 1 CHECK (auto_reply IN (0, 1)),
    sort_order  INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX support_departments_email ON support_departments (email)
    WHERE email IS NOT NULL;

-- The staff who receive a department's new tickets and customer replies.
CREATE TABLE support_department_staff (
    department_id INTEGER NOT NULL REFERENCES support_departments (id) ON DELETE CASCADE,
    staff_id      INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    PRIMARY KEY (department_id, staff_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE tickets (
    id                INTEGER PRIMARY KEY,
    -- PREFIX-NNNNNN with random digits: one number says nothing of another.
    number            TEXT NOT NULL UNIQUE,
    -- NULL for a guest's ticket (mail from an unknown address, when
    -- `[support] unknown_sender = "open"`): staff see it, no account does.
    client_id         INTEGER REFERENCES clients (id),
    guest_email       TEXT,
    guest_name        TEXT,
    -- The user who opened it (owner or contact); NULL when staff did.
    opened_by_user_id INTEGER REFERENCES users (id),
    department_id     INTEGER NOT NULL REFERENCES support_departments (id),
    subject           TEXT NOT NULL,
    status            TEXT NOT NULL DEFAULT 'open'
                      CHECK (status IN ('open', 'answered', 'customer_reply', 'in_progress',
                                        'on_hold', 'closed')),
    priority          TEXT NOT NULL DEFAULT 'medium'
                      CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
    service_id        INTEGER REFERENCES services (id),
    domain_id         INTEGER REFERENCES domains (id),
    assigned_staff_id INTEGER REFERENCES staff (id),
    -- Set when merged into another ticket of the same client.
    merged_into_id    INTEGER REFERENCES tickets (id),
    last_reply_at     TEXT NOT NULL,
    -- When staff last answered (auto-close counts from here).
    answered_at       TEXT,
    -- When the customer was told it will close for want of a reply.
    close_warned_at   TEXT,
    closed_at         TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    CHECK (client_id IS NOT NULL OR guest_email IS NOT NULL)
) STRICT;
CREATE INDEX tickets_by_client ON tickets (client_id, id);
CREATE INDEX tickets_queue ON tickets (status, department_id, last_reply_at);
CREATE INDEX tickets_answered ON tickets (status, answered_at) WHERE status = 'answered';

CREATE TABLE ticket_messages (
    id          INTEGER PRIMARY KEY,
    ticket_id   INTEGER NOT NULL REFERENCES tickets (id),
    -- 'note': internal, for staff only; never on a customer surface.
    kind        TEXT NOT NULL CHECK (kind IN ('message', 'note')),
    author_type TEXT NOT NULL CHECK (author_type IN ('client', 'staff', 'system')),
    user_id     INTEGER REFERENCES users (id),
    staff_id    INTEGER REFERENCES staff (id),
    author_name TEXT NOT NULL,
    body        TEXT NOT NULL,
    source      TEXT NOT NULL DEFAULT 'web' CHECK (source IN ('web', 'api', 'email')),
    -- The RFC 5322 Message-ID it arrived with, or the one its email went
    -- out with: threading, and never posting one email twice.
    email_message_id TEXT,
    created_at  TEXT NOT NULL,
    CHECK (kind = 'message' OR author_type = 'staff')
) STRICT;
CREATE INDEX ticket_messages_by_ticket ON ticket_messages (ticket_id, id);
CREATE UNIQUE INDEX ticket_messages_email ON ticket_messages (email_message_id)
    WHERE email_message_id IS NOT NULL;

CREATE TABLE ticket_attachments (
    id         INTEGER PRIMARY KEY,
    message_id INTEGER NOT NULL REFERENCES ticket_messages (id),
    name       TEXT NOT NULL,
    mime_type  TEXT NOT NULL,
    size       INTEGER NOT NULL CHECK (size >= 0),
    sha256     TEXT NOT NULL,
    -- Written with incremental blob I/O into a zeroblob of `size`.
    content    BLOB NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX ticket_attachments_by_message ON ticket_attachments (message_id);

CREATE TABLE ticket_watchers (
    ticket_id INTEGER NOT NULL REFERENCES tickets (id),
    staff_id  INTEGER NOT NULL REFERENCES staff (id) ON DELETE CASCADE,
    PRIMARY KEY (ticket_id, staff_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE canned_replies (
    id         INTEGER PRIMARY KEY,
    title      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    body       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- Full-text search: one row per message (rowid = the message's id), with
-- its ticket's subject, kept by the triggers below. Searches join back to
-- ticket_messages for the ticket, the client and the message's kind.
CREATE VIRTUAL TABLE ticket_search USING fts5 (
    subject, body, tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER ticket_messages_search_insert AFTER INSERT ON ticket_messages BEGIN
    INSERT INTO ticket_search (rowid, subject, body)
    VALUES (new.id, (SELECT subject FROM tickets WHERE id = new.ticket_id), new.body);
END;
CREATE TRIGGER ticket_messages_search_move AFTER UPDATE OF ticket_id ON ticket_messages BEGIN
    UPDATE ticket_search SET subject = (SELECT subject FROM tickets WHERE id = new.ticket_id)
    WHERE rowid = new.id;
END;
CREATE TRIGGER tickets_search_subject AFTER UPDATE OF subject ON tickets BEGIN
    UPDATE ticket_search SET subject = new.subject
    WHERE rowid IN (SELECT id FROM ticket_messages WHERE ticket_id = new.id);
END;

-- Emails that belong to a ticket thread carry their own From and
-- Message-ID, and answer the message before them.
ALTER TABLE email_outbox ADD COLUMN from_address TEXT;
ALTER TABLE email_outbox ADD COLUMN message_id TEXT;
ALTER TABLE email_outbox ADD COLUMN in_reply_to TEXT;
