-- 0005: orders, services, invoices, payments, idempotency keys.
-- Every amount is INTEGER minor units of the row's currency.

-- Gapless invoice numbers: one counter per series, advanced in the same
-- transaction that issues the invoice.
CREATE TABLE invoice_counters (
    series      TEXT PRIMARY KEY,
    last_number INTEGER NOT NULL CHECK (last_number >= 0)
) STRICT;

CREATE TABLE orders (
    id         INTEGER PRIMARY KEY,
    uuid       TEXT NOT NULL UNIQUE,
    client_id  INTEGER NOT NULL REFERENCES clients (id),
    status     TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'active', 'cancelled')),
    currency   TEXT NOT NULL,
    -- Who placed it: "user:12", "staff:3".
    placed_by  TEXT NOT NULL,
    ip         TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX orders_by_client ON orders (client_id, id);

CREATE TABLE services (
    id                INTEGER PRIMARY KEY,
    uuid              TEXT NOT NULL UNIQUE,
    client_id         INTEGER NOT NULL REFERENCES clients (id),
    order_id          INTEGER REFERENCES orders (id),
    product_id        INTEGER NOT NULL REFERENCES products (id),
    status            TEXT NOT NULL DEFAULT 'pending'
                      CHECK (status IN ('pending', 'active', 'suspended', 'terminated', 'cancelled')),
    billing_cycle     TEXT NOT NULL,
    currency          TEXT NOT NULL,
    recurring_amount  INTEGER NOT NULL CHECK (recurring_amount >= 0),
    domain            TEXT,
    label             TEXT,
    -- The anchor of the billing periods; set at activation.
    registration_date TEXT,
    next_due_date     TEXT,
    activated_at      TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
) STRICT;
CREATE INDEX services_by_client ON services (client_id, id);
CREATE INDEX services_by_order ON services (order_id);

CREATE TABLE invoices (
    id             INTEGER PRIMARY KEY,
    uuid           TEXT NOT NULL UNIQUE,
    client_id      INTEGER NOT NULL REFERENCES clients (id),
    order_id       INTEGER REFERENCES orders (id),
    number         TEXT UNIQUE,
    status         TEXT NOT NULL CHECK (status IN ('unpaid', 'paid', 'cancelled', 'refunded')),
    currency       TEXT NOT NULL,
    subtotal       INTEGER NOT NULL,
    tax_total      INTEGER NOT NULL DEFAULT 0,
    total          INTEGER NOT NULL CHECK (total >= 0),
    credit_applied INTEGER NOT NULL DEFAULT 0 CHECK (credit_applied >= 0),
    amount_paid    INTEGER NOT NULL DEFAULT 0 CHECK (amount_paid >= 0),
    issue_date     TEXT NOT NULL,
    due_date       TEXT NOT NULL,
    paid_at        TEXT,
    -- Who sold and who bought, frozen at issue (JSON).
    seller         TEXT NOT NULL,
    buyer          TEXT NOT NULL,
    notes          TEXT NOT NULL DEFAULT '',
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    CHECK (total = subtotal + tax_total),
    CHECK (credit_applied + amount_paid <= total OR status = 'refunded')
) STRICT;
CREATE INDEX invoices_by_client ON invoices (client_id, id);

CREATE TABLE invoice_items (
    id           INTEGER PRIMARY KEY,
    invoice_id   INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('service', 'setup', 'addon', 'option', 'discount',
                                                'tax', 'credit', 'gateway_fee', 'manual')),
    description  TEXT NOT NULL,
    service_id   INTEGER REFERENCES services (id),
    period_start TEXT,
    period_end   TEXT,
    quantity     INTEGER NOT NULL DEFAULT 1 CHECK (quantity > 0),
    unit_amount  INTEGER NOT NULL,
    amount       INTEGER NOT NULL,
    CHECK (amount = quantity * unit_amount),
    UNIQUE (invoice_id, position)
) STRICT;

CREATE TABLE payments (
    id             INTEGER PRIMARY KEY,
    uuid           TEXT NOT NULL UNIQUE,
    client_id      INTEGER NOT NULL REFERENCES clients (id),
    invoice_id     INTEGER NOT NULL REFERENCES invoices (id),
    gateway        TEXT NOT NULL,
    amount         INTEGER NOT NULL CHECK (amount > 0),
    currency       TEXT NOT NULL,
    -- The gateway's reference: one charge is one payment.
    transaction_id TEXT NOT NULL,
    recorded_by    TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    UNIQUE (gateway, transaction_id)
) STRICT;
CREATE INDEX payments_by_client ON payments (client_id, id);

-- Account credit movements; clients.credit_balance is their running sum.
CREATE TABLE credit_ledger (
    id            INTEGER PRIMARY KEY,
    client_id     INTEGER NOT NULL REFERENCES clients (id),
    amount        INTEGER NOT NULL CHECK (amount <> 0),
    balance_after INTEGER NOT NULL CHECK (balance_after >= 0),
    reason        TEXT NOT NULL,
    invoice_id    INTEGER REFERENCES invoices (id),
    created_at    TEXT NOT NULL
) STRICT;

-- Replays of requests made with an Idempotency-Key.
CREATE TABLE idempotency_keys (
    scope        TEXT NOT NULL,
    key          TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status       INTEGER NOT NULL,
    response     TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (scope, key)
) STRICT;
