-- 0003: the catalog: currencies, product groups, products and their prices.

CREATE TABLE currencies (
    code       TEXT PRIMARY KEY CHECK (length(code) = 3 AND code = upper(code)),
    prefix     TEXT NOT NULL DEFAULT '',
    suffix     TEXT NOT NULL DEFAULT '',
    -- Minor-unit digits: 2 for USD, 0 for JPY, 3 for KWD.
    decimals   INTEGER NOT NULL CHECK (decimals BETWEEN 0 AND 4),
    is_default INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    created_at TEXT NOT NULL
) STRICT;
-- At most one default currency.
CREATE UNIQUE INDEX currencies_one_default ON currencies (is_default) WHERE is_default = 1;

CREATE TABLE product_groups (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    slug        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    sort_order  INTEGER NOT NULL DEFAULT 0,
    visible     INTEGER NOT NULL DEFAULT 1 CHECK (visible IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

CREATE TABLE products (
    id              INTEGER PRIMARY KEY,
    uuid            TEXT NOT NULL UNIQUE,
    group_id        INTEGER NOT NULL REFERENCES product_groups (id),
    kind            TEXT NOT NULL CHECK (kind IN ('hosting', 'vps', 'dedicated', 'ssl', 'other')),
    name            TEXT NOT NULL,
    slug            TEXT NOT NULL UNIQUE,
    description     TEXT NOT NULL DEFAULT '',
    -- visible: listed; hidden: orderable by direct link; retired: gone.
    status          TEXT NOT NULL DEFAULT 'visible' CHECK (status IN ('visible', 'hidden', 'retired')),
    -- NULL: unlimited.
    stock           INTEGER CHECK (stock IS NULL OR stock >= 0),
    requires_domain INTEGER NOT NULL DEFAULT 0 CHECK (requires_domain IN (0, 1)),
    module          TEXT NOT NULL DEFAULT 'manual',
    module_settings TEXT NOT NULL DEFAULT '{}',
    sort_order      INTEGER NOT NULL DEFAULT 0,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
) STRICT;
CREATE INDEX products_by_group ON products (group_id, sort_order, id);

-- Minor units of the currency, per billing cycle.
CREATE TABLE product_prices (
    product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    currency   TEXT NOT NULL REFERENCES currencies (code),
    cycle      TEXT NOT NULL CHECK (cycle IN ('onetime', 'monthly', 'quarterly', 'semiannually',
                                              'annually', 'biennially', 'triennially')),
    price      INTEGER NOT NULL CHECK (price >= 0),
    setup_fee  INTEGER NOT NULL DEFAULT 0 CHECK (setup_fee >= 0),
    PRIMARY KEY (product_id, currency, cycle)
) STRICT;
