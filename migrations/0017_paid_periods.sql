-- 0017: money is never created. What each service period was actually
-- paid, so the credit for a plan or cycle change derives from money
-- received and never from a live price; and what of each payment is still
-- on its invoice, so a refund never returns money that already became
-- account credit.

-- A period of a service once paid (or waived by staff): its dates and the
-- cycle they follow, and the plan price it is held at (what the plan it
-- is on sells for in that cycle: a plan change moves it). The money that
-- paid for it is in `service_period_funds`.
CREATE TABLE service_periods (
    id            INTEGER PRIMARY KEY,
    service_id    INTEGER NOT NULL REFERENCES services (id),
    period_start  TEXT NOT NULL,
    period_end    TEXT NOT NULL,
    billing_cycle TEXT NOT NULL,
    plan_price    INTEGER NOT NULL CHECK (plan_price >= 0),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    CHECK (period_end >= period_start)
) STRICT;
-- A period is recorded once. A period a cycle change ended before it
-- began is kept (its money was given back) with no length.
CREATE UNIQUE INDEX service_periods_once ON service_periods (service_id, period_start, period_end)
    WHERE period_end > period_start;

-- Money that paid for a period, from one invoice: net of discounts and
-- before tax (the first charge, an upgrade's charge). `returned` is what
-- was given back of it as account credit (a downgrade, a cycle change now).
CREATE TABLE service_period_funds (
    id         INTEGER PRIMARY KEY,
    period_id  INTEGER NOT NULL REFERENCES service_periods (id),
    invoice_id INTEGER NOT NULL REFERENCES invoices (id),
    amount     INTEGER NOT NULL CHECK (amount >= 0),
    returned   INTEGER NOT NULL DEFAULT 0 CHECK (returned >= 0),
    CHECK (returned <= amount)
) STRICT;
CREATE INDEX service_period_funds_by_period ON service_period_funds (period_id);
CREATE INDEX service_period_funds_by_invoice ON service_period_funds (invoice_id);

-- What an order charges for a service's first period (the plan and its
-- options, after the promotion, before tax): its period's fund at go-live.
ALTER TABLE services ADD COLUMN first_period_amount INTEGER CHECK (first_period_amount >= 0);
-- Once the cycle changed, periods follow this date instead of the
-- registration date (so the 31st does not drift to the 28th).
ALTER TABLE services ADD COLUMN period_anchor TEXT;

-- The part of a payment that went onto its invoice (the rest became
-- credit at once).
ALTER TABLE payments ADD COLUMN applied INTEGER NOT NULL DEFAULT 0 CHECK (applied >= 0);
-- The part of a refund taken from account credit (the rest came off the
-- invoice the payment went to).
ALTER TABLE refunds ADD COLUMN from_credit INTEGER NOT NULL DEFAULT 0 CHECK (from_credit >= 0);
-- The invoice was still unpaid: the refund took its part off what the
-- invoice had been paid (its balance due went up again) rather than out
-- of money it holds for something delivered.
ALTER TABLE refunds ADD COLUMN reopened_invoice INTEGER NOT NULL DEFAULT 0
    CHECK (reopened_invoice IN (0, 1));
-- Money taken back out of an invoice after it arrived: refunds drawn from
-- it, credit for unused time, what a cancellation returned, an add-funds
-- invoice turning into credit. What an invoice still holds is
-- amount_paid + credit_applied - given_back, never below zero.
ALTER TABLE invoices ADD COLUMN given_back INTEGER NOT NULL DEFAULT 0 CHECK (given_back >= 0);

-- A change waiting for its invoice: a plan change, or a cycle change that
-- starts now.
ALTER TABLE service_changes ADD COLUMN kind TEXT NOT NULL DEFAULT 'plan' CHECK (kind IN ('plan', 'cycle'));
-- Per period a plan change moves: its amount (charged > 0, credited < 0)
-- and the plan price the period moves to.
CREATE TABLE service_change_periods (
    change_id  INTEGER NOT NULL REFERENCES service_changes (id),
    period_id  INTEGER NOT NULL REFERENCES service_periods (id),
    amount     INTEGER NOT NULL,
    plan_price INTEGER NOT NULL CHECK (plan_price >= 0),
    PRIMARY KEY (change_id, period_id)
) STRICT;

-- Existing installs. A payment's applied part: what of the invoice's
-- amount_paid the payments before it had not yet covered.
UPDATE payments SET applied = (
    SELECT MAX(0, MIN(p.amount, i.amount_paid - COALESCE((
        SELECT SUM(q.amount) FROM payments q WHERE q.invoice_id = p.invoice_id AND q.id < p.id), 0)))
    FROM payments p JOIN invoices i ON i.id = p.invoice_id WHERE p.id = payments.id);
-- A cancelled invoice gave back all it held; a paid add-funds invoice
-- became credit.
UPDATE invoices SET given_back = amount_paid + credit_applied WHERE status = 'cancelled';
UPDATE invoices SET given_back = amount_paid + credit_applied
    WHERE status IN ('paid', 'refunded')
      AND EXISTS (SELECT 1 FROM invoice_items ii WHERE ii.invoice_id = invoices.id AND ii.kind = 'credit');
-- Periods already paid, from their invoice lines: the service line and
-- its options, less the promotion on that invoice.
INSERT OR IGNORE INTO service_periods (service_id, period_start, period_end, billing_cycle, plan_price, created_at, updated_at)
    SELECT ii.service_id, ii.period_start, ii.period_end, s.billing_cycle, s.recurring_amount,
           strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
    FROM invoice_items ii JOIN invoices i ON i.id = ii.invoice_id JOIN services s ON s.id = ii.service_id
    WHERE ii.kind = 'service' AND ii.period_start IS NOT NULL AND ii.period_end IS NOT NULL
      AND (i.status = 'paid' OR ii.period_outcome = 'waived');
INSERT INTO service_period_funds (period_id, invoice_id, amount)
    SELECT sp.id, ii.invoice_id, MAX(0,
           (SELECT COALESCE(SUM(o.amount), 0) FROM invoice_items o
             WHERE o.invoice_id = ii.invoice_id AND o.service_id = ii.service_id
               AND ((o.kind IN ('service', 'option') AND o.period_start = ii.period_start)
                    OR o.kind = 'discount')))
    FROM invoice_items ii JOIN invoices i ON i.id = ii.invoice_id
    JOIN service_periods sp ON sp.service_id = ii.service_id AND sp.period_start = ii.period_start
                           AND sp.period_end = ii.period_end
    WHERE ii.kind = 'service' AND i.status = 'paid' AND ii.period_outcome IS NULL;
-- Refunds so far came off their invoice.
UPDATE invoices SET given_back = MIN(amount_paid + credit_applied, given_back + (
    SELECT COALESCE(SUM(r.amount), 0) FROM refunds r WHERE r.invoice_id = invoices.id AND r.status <> 'failed'))
    WHERE status IN ('paid', 'refunded', 'unpaid');
