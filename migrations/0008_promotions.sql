-- 0008: promotion codes and who used them.

CREATE TABLE promotions (
    id              INTEGER PRIMARY KEY,
    -- Upper case; customers type it in any case.
    code            TEXT NOT NULL UNIQUE CHECK (length(code) BETWEEN 1 AND 40),
    kind            TEXT NOT NULL
                    CHECK (kind IN ('percent', 'fixed', 'free_setup', 'price_override')),
    -- percent: thousandths of a percent off the price (10% is 10000).
    percent_milli   INTEGER NOT NULL DEFAULT 0 CHECK (percent_milli BETWEEN 0 AND 100000),
    -- fixed: minor units off the price; price_override: the new price.
    amount          INTEGER NOT NULL DEFAULT 0 CHECK (amount >= 0),
    -- The currency of `amount` (fixed and price_override apply only in it).
    currency        TEXT,
    -- JSON arrays of product ids and cycle names; empty means all.
    product_ids     TEXT NOT NULL DEFAULT '[]',
    cycles          TEXT NOT NULL DEFAULT '[]',
    -- 1: the discount also lowers the renewal price; 0: first invoice only.
    recurring       INTEGER NOT NULL DEFAULT 0 CHECK (recurring IN (0, 1)),
    starts_at       TEXT,
    ends_at         TEXT,
    max_uses        INTEGER CHECK (max_uses IS NULL OR max_uses > 0),
    uses            INTEGER NOT NULL DEFAULT 0 CHECK (uses >= 0),
    once_per_client INTEGER NOT NULL DEFAULT 0 CHECK (once_per_client IN (0, 1)),
    created_at      TEXT NOT NULL,
    CHECK (kind NOT IN ('fixed', 'price_override') OR currency IS NOT NULL),
    CHECK (max_uses IS NULL OR uses <= max_uses)
) STRICT;

CREATE TABLE promotion_uses (
    id           INTEGER PRIMARY KEY,
    promotion_id INTEGER NOT NULL REFERENCES promotions (id),
    client_id    INTEGER NOT NULL REFERENCES clients (id),
    order_id     INTEGER NOT NULL REFERENCES orders (id),
    created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX promotion_uses_by_client ON promotion_uses (promotion_id, client_id);
