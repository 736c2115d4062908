-- 0015: what customers ask of their services (cancellation, plan changes)
-- and portal notifications (reference 001 /notifications).

-- A customer's cancellation request: immediate, or at the end of the
-- billing period (the period-end job carries it out). One per service.
CREATE TABLE cancellation_requests (
    id           INTEGER PRIMARY KEY,
    service_id   INTEGER NOT NULL UNIQUE REFERENCES services (id),
    kind         TEXT NOT NULL CHECK (kind IN ('immediate', 'end_of_billing_period')),
    reason       TEXT NOT NULL DEFAULT '',
    requested_by TEXT NOT NULL,
    -- Set when it was carried out.
    done_at      TEXT,
    created_at   TEXT NOT NULL
) STRICT;

-- An upgrade or downgrade. A charge waits for its invoice to be paid; a
-- credit (downgrade) is applied at once.
CREATE TABLE service_changes (
    id              INTEGER PRIMARY KEY,
    service_id      INTEGER NOT NULL REFERENCES services (id),
    from_product_id INTEGER NOT NULL REFERENCES products (id),
    to_product_id   INTEGER NOT NULL REFERENCES products (id),
    billing_cycle   TEXT NOT NULL,
    new_recurring   INTEGER NOT NULL CHECK (new_recurring >= 0),
    -- Positive: charged on `invoice_id`; negative: credited.
    amount          INTEGER NOT NULL,
    invoice_id      INTEGER REFERENCES invoices (id),
    status          TEXT NOT NULL CHECK (status IN ('pending', 'applied', 'cancelled')),
    created_at      TEXT NOT NULL,
    applied_at      TEXT
) STRICT;
CREATE INDEX service_changes_by_invoice ON service_changes (invoice_id);
-- At most one change waiting per service.
CREATE UNIQUE INDEX service_changes_one_pending ON service_changes (service_id) WHERE status = 'pending';

-- Portal notifications for a client's people; each user acknowledges
-- for themselves.
CREATE TABLE notifications (
    id         INTEGER PRIMARY KEY,
    client_id  INTEGER NOT NULL REFERENCES clients (id),
    kind       TEXT NOT NULL,
    title      TEXT NOT NULL,
    body       TEXT NOT NULL DEFAULT '',
    link       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX notifications_by_client ON notifications (client_id, id);

CREATE TABLE notification_acks (
    notification_id INTEGER NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
    user_id         INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    acked_at        TEXT NOT NULL,
    PRIMARY KEY (notification_id, user_id)
) STRICT;
