-- 0010: card gateways (Stripe, Paystack): payment attempts, received
-- webhook events, refunds; invoice number formats.

-- One attempt per payment start: what till asked a gateway to collect.
-- The attempt is written before the gateway is called and completed after,
-- so a crash in between leaves a visible 'starting' row, never a lost charge.
CREATE TABLE payment_attempts (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    client_id   INTEGER NOT NULL REFERENCES clients (id),
    invoice_id  INTEGER NOT NULL REFERENCES invoices (id),
    gateway     TEXT NOT NULL,
    -- 'intent': a PaymentIntent for the caller's own UI (API);
    -- 'hosted': the gateway's hosted page (client area).
    flow        TEXT NOT NULL CHECK (flow IN ('intent', 'hosted')),
    status      TEXT NOT NULL
                CHECK (status IN ('starting', 'pending', 'succeeded', 'failed', 'cancelled')),
    -- What the gateway is to collect, in minor units of `currency`; it
    -- includes `fee`, the payment method's fee line on the invoice.
    amount      INTEGER NOT NULL CHECK (amount > 0),
    currency    TEXT NOT NULL,
    fee         INTEGER NOT NULL DEFAULT 0 CHECK (fee >= 0),
    -- The gateway's handle: a PaymentIntent or Checkout Session id, a
    -- Paystack reference.
    reference   TEXT,
    -- Where the customer pays (hosted flow).
    redirect_url TEXT,
    -- The charge once it succeeded (PaymentIntent id, Paystack reference).
    transaction_id TEXT,
    payment_id  INTEGER REFERENCES payments (id),
    failure     TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (gateway, reference)
) STRICT;
CREATE INDEX payment_attempts_by_invoice ON payment_attempts (invoice_id, id);

-- Every webhook event accepted (signature valid), once: a replayed event id
-- finds its row and changes nothing.
CREATE TABLE webhook_events (
    id          INTEGER PRIMARY KEY,
    gateway     TEXT NOT NULL,
    event_id    TEXT NOT NULL,
    kind        TEXT NOT NULL,
    -- processed: a payment or failure was recorded; ignored: nothing to do;
    -- rejected: it did not match what till asked for (see note).
    outcome     TEXT NOT NULL CHECK (outcome IN ('processed', 'ignored', 'rejected')),
    note        TEXT NOT NULL DEFAULT '',
    received_at TEXT NOT NULL,
    UNIQUE (gateway, event_id)
) STRICT;

-- Money given back: to account credit, through the gateway, or recorded
-- as paid back outside till.
CREATE TABLE refunds (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    client_id   INTEGER NOT NULL REFERENCES clients (id),
    invoice_id  INTEGER NOT NULL REFERENCES invoices (id),
    payment_id  INTEGER NOT NULL REFERENCES payments (id),
    amount      INTEGER NOT NULL CHECK (amount > 0),
    currency    TEXT NOT NULL,
    destination TEXT NOT NULL CHECK (destination IN ('credit', 'gateway', 'external')),
    -- A gateway refund is 'pending' while the gateway is asked.
    status      TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    gateway_reference TEXT,
    reason      TEXT NOT NULL DEFAULT '',
    failure     TEXT,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX refunds_by_payment ON refunds (payment_id);
CREATE INDEX refunds_by_invoice ON refunds (invoice_id);

-- What has been given back of a payment (pending and succeeded refunds),
-- so two refunds can never return more than was paid.
ALTER TABLE payments ADD COLUMN refunded INTEGER NOT NULL DEFAULT 0 CHECK (refunded >= 0);

-- Counters are now keyed by the rendered number format with `{SEQ}` in
-- place of the sequence; the old default was `{YYYY}-{SEQ:5}` keyed by year.
UPDATE invoice_counters SET series = series || '-{SEQ}' WHERE series GLOB '[0-9][0-9][0-9][0-9]';

INSERT INTO payment_methods (code, name, enabled, sort_order, updated_at) VALUES
    ('stripe', 'Card (Stripe)', 1, 3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    ('paystack', 'Paystack', 1, 4, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
