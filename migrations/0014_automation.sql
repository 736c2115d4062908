-- 0014: billing automation. What makes the daily jobs idempotent: a
-- service's period is billed once, a reminder or notice is sent once, a
-- late fee is charged once per invoice. (0013 belongs to the module worker.)

-- A billing period of a service is invoiced once. The first invoice's
-- `service` line carries its first period, so renewals continue from it.
CREATE UNIQUE INDEX invoice_items_service_period ON invoice_items (service_id, period_start)
    WHERE kind = 'service' AND service_id IS NOT NULL AND period_start IS NOT NULL;

-- Reminders before the due date and overdue notices, once per step.
-- kind: 'reminder' (step = days before due) or 'overdue' (step = days after).
CREATE TABLE reminders_sent (
    invoice_id INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL CHECK (kind IN ('reminder', 'overdue')),
    step       INTEGER NOT NULL,
    sent_at    TEXT NOT NULL,
    PRIMARY KEY (invoice_id, kind, step)
) STRICT;

-- One late fee per invoice; the fee itself is a `manual` invoice line.
CREATE TABLE late_fees (
    invoice_id INTEGER PRIMARY KEY REFERENCES invoices (id) ON DELETE CASCADE,
    amount     INTEGER NOT NULL CHECK (amount > 0),
    created_at TEXT NOT NULL
) STRICT;

-- Cancellation at the end of the paid period, and why a service is suspended
-- ('overdue' is lifted by payment; anything else only by staff).
ALTER TABLE services ADD COLUMN cancel_at_period_end INTEGER NOT NULL DEFAULT 0
    CHECK (cancel_at_period_end IN (0, 1));
ALTER TABLE services ADD COLUMN cancellation_reason TEXT;
ALTER TABLE services ADD COLUMN cancelled_at TEXT;
ALTER TABLE services ADD COLUMN suspended_reason TEXT;
ALTER TABLE services ADD COLUMN suspended_at TEXT;

CREATE INDEX services_by_status_due ON services (status, next_due_date);
CREATE INDEX invoices_by_status_due ON invoices (status, due_date);
CREATE INDEX invoice_items_by_service ON invoice_items (service_id);
