-- 0007: the payment methods customers may use, with their fees and, for
-- bank transfer, the instructions printed on invoices. Gateways add their
-- rows in later migrations.

CREATE TABLE payment_methods (
    id                INTEGER PRIMARY KEY,
    code              TEXT NOT NULL UNIQUE,
    name              TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
    enabled           INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    -- Shown with unpaid invoices (bank details, reference to quote).
    instructions      TEXT NOT NULL DEFAULT '' CHECK (length(instructions) <= 2000),
    -- Thousandths of a percent of the amount paid: 2.9% is 2900.
    fee_percent_milli INTEGER NOT NULL DEFAULT 0 CHECK (fee_percent_milli BETWEEN 0 AND 100000),
    -- A fixed fee as exact decimal text in the invoice's currency units.
    fee_fixed         TEXT NOT NULL DEFAULT '0',
    sort_order        INTEGER NOT NULL DEFAULT 0,
    updated_at        TEXT NOT NULL
) STRICT;

INSERT INTO payment_methods (code, name, enabled, sort_order, updated_at) VALUES
    ('bank_transfer', 'Bank Transfer', 1, 1, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    ('credit', 'Account Credit', 1, 2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));
