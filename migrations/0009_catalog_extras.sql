-- 0009: addons, configurable options and domain TLD prices; what an order
-- records of them (service options, service addons, domains); and the
-- `domain` invoice item kind. Every amount is INTEGER minor units.

-- ---- addons: sold with the products they are attached to ----

CREATE TABLE addons (
    id          INTEGER PRIMARY KEY,
    uuid        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    slug        TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL DEFAULT '',
    -- visible: listed with its products; hidden: orderable, not listed; retired: gone.
    status      TEXT NOT NULL DEFAULT 'visible' CHECK (status IN ('visible', 'hidden', 'retired')),
    sort_order  INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;

-- An addon is billed on its service's cycle (or once, with a 'onetime' price).
CREATE TABLE addon_prices (
    addon_id  INTEGER NOT NULL REFERENCES addons (id) ON DELETE CASCADE,
    currency  TEXT NOT NULL REFERENCES currencies (code),
    cycle     TEXT NOT NULL CHECK (cycle IN ('onetime', 'monthly', 'quarterly', 'semiannually',
                                             'annually', 'biennially', 'triennially')),
    price     INTEGER NOT NULL CHECK (price >= 0),
    setup_fee INTEGER NOT NULL DEFAULT 0 CHECK (setup_fee >= 0),
    PRIMARY KEY (addon_id, currency, cycle)
) STRICT;

CREATE TABLE product_addons (
    product_id INTEGER NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    addon_id   INTEGER NOT NULL REFERENCES addons (id) ON DELETE CASCADE,
    PRIMARY KEY (product_id, addon_id)
) STRICT;
CREATE INDEX product_addons_by_addon ON product_addons (addon_id);

-- ---- configurable options: per product, choices priced per cycle ----

CREATE TABLE config_options (
    id           INTEGER PRIMARY KEY,
    uuid         TEXT NOT NULL UNIQUE,
    product_id   INTEGER NOT NULL REFERENCES products (id),
    name         TEXT NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('dropdown', 'radio', 'quantity', 'yesno')),
    -- The order must state it (otherwise: the first choice, the minimum, or "no").
    required     INTEGER NOT NULL DEFAULT 0 CHECK (required IN (0, 1)),
    -- quantity only; NULL max: no upper bound of its own.
    min_quantity INTEGER NOT NULL DEFAULT 0 CHECK (min_quantity >= 0),
    max_quantity INTEGER CHECK (max_quantity IS NULL OR max_quantity >= min_quantity),
    sort_order   INTEGER NOT NULL DEFAULT 0,
    status       TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) STRICT;
CREATE INDEX config_options_by_product ON config_options (product_id, sort_order, id);

-- A quantity option has one choice (its price is per unit); yes/no has one
-- choice ("Yes"), charged when ticked. Choices are retired, never deleted,
-- so what services recorded keeps its meaning.
CREATE TABLE config_option_choices (
    id         INTEGER PRIMARY KEY,
    option_id  INTEGER NOT NULL REFERENCES config_options (id),
    name       TEXT NOT NULL,
    sort_order INTEGER NOT NULL DEFAULT 0,
    status     TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX config_option_choices_by_option ON config_option_choices (option_id, sort_order, id);

-- A choice without any price row is free; one with prices must be priced
-- in the order's currency and cycle.
CREATE TABLE config_choice_prices (
    choice_id INTEGER NOT NULL REFERENCES config_option_choices (id) ON DELETE CASCADE,
    currency  TEXT NOT NULL REFERENCES currencies (code),
    cycle     TEXT NOT NULL CHECK (cycle IN ('onetime', 'monthly', 'quarterly', 'semiannually',
                                             'annually', 'biennially', 'triennially')),
    price     INTEGER NOT NULL CHECK (price >= 0),
    setup_fee INTEGER NOT NULL DEFAULT 0 CHECK (setup_fee >= 0),
    PRIMARY KEY (choice_id, currency, cycle)
) STRICT;

-- ---- domain TLDs ----

CREATE TABLE tlds (
    id                     INTEGER PRIMARY KEY,
    -- With its leading dot, lower case: '.com', '.co.uk'.
    tld                    TEXT NOT NULL UNIQUE CHECK (substr(tld, 1, 1) = '.' AND tld = lower(tld)),
    requires_manual_check  INTEGER NOT NULL DEFAULT 0 CHECK (requires_manual_check IN (0, 1)),
    supports_id_protection INTEGER NOT NULL DEFAULT 0 CHECK (supports_id_protection IN (0, 1)),
    status                 TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
    sort_order             INTEGER NOT NULL DEFAULT 0,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL
) STRICT;

-- The price of a term of `years`; NULL renew/transfer: not offered.
CREATE TABLE tld_prices (
    tld_id   INTEGER NOT NULL REFERENCES tlds (id) ON DELETE CASCADE,
    currency TEXT NOT NULL REFERENCES currencies (code),
    years    INTEGER NOT NULL CHECK (years BETWEEN 1 AND 10),
    register INTEGER NOT NULL CHECK (register >= 0),
    renew    INTEGER CHECK (renew IS NULL OR renew >= 0),
    transfer INTEGER CHECK (transfer IS NULL OR transfer >= 0),
    PRIMARY KEY (tld_id, currency, years)
) STRICT;

-- ---- what an order records ----

-- The options a service was ordered with (what it renews with).
CREATE TABLE service_options (
    service_id       INTEGER NOT NULL REFERENCES services (id),
    option_id        INTEGER NOT NULL REFERENCES config_options (id),
    choice_id        INTEGER NOT NULL REFERENCES config_option_choices (id),
    quantity         INTEGER NOT NULL DEFAULT 1 CHECK (quantity >= 0),
    -- Included in services.recurring_amount.
    recurring_amount INTEGER NOT NULL DEFAULT 0 CHECK (recurring_amount >= 0),
    PRIMARY KEY (service_id, option_id)
) STRICT;

CREATE TABLE service_addons (
    id               INTEGER PRIMARY KEY,
    uuid             TEXT NOT NULL UNIQUE,
    service_id       INTEGER NOT NULL REFERENCES services (id),
    addon_id         INTEGER NOT NULL REFERENCES addons (id),
    billing_cycle    TEXT NOT NULL,
    currency         TEXT NOT NULL,
    recurring_amount INTEGER NOT NULL CHECK (recurring_amount >= 0),
    status           TEXT NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'active', 'suspended', 'terminated', 'cancelled')),
    registration_date TEXT,
    next_due_date    TEXT,
    activated_at     TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX service_addons_by_service ON service_addons (service_id);

-- Domain registrations and transfers ordered; registrars come later, so a
-- paid domain stays 'pending' until one registers it.
CREATE TABLE domains (
    id               INTEGER PRIMARY KEY,
    uuid             TEXT NOT NULL UNIQUE,
    client_id        INTEGER NOT NULL REFERENCES clients (id),
    order_id         INTEGER REFERENCES orders (id),
    -- The hosting service it was ordered with, if any.
    service_id       INTEGER REFERENCES services (id),
    name             TEXT NOT NULL,
    tld              TEXT NOT NULL,
    action           TEXT NOT NULL CHECK (action IN ('register', 'transfer')),
    years            INTEGER NOT NULL CHECK (years BETWEEN 1 AND 10),
    status           TEXT NOT NULL DEFAULT 'pending'
                     CHECK (status IN ('pending', 'active', 'expired', 'transferred_away', 'cancelled')),
    currency         TEXT NOT NULL,
    first_amount     INTEGER NOT NULL CHECK (first_amount >= 0),
    -- The renewal price for the same term; NULL when that term is not renewable.
    recurring_amount INTEGER CHECK (recurring_amount IS NULL OR recurring_amount >= 0),
    next_due_date    TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX domains_by_client ON domains (client_id, id);
CREATE INDEX domains_by_order ON domains (order_id);
-- One live registration of a name at a time.
CREATE UNIQUE INDEX domains_live_name ON domains (name)
    WHERE status IN ('pending', 'active');

-- ---- invoice_items gains the `domain` kind and a domain reference ----
-- SQLite cannot change a CHECK: rebuild the table (nothing references it).

CREATE TABLE invoice_items_new (
    id           INTEGER PRIMARY KEY,
    invoice_id   INTEGER NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    kind         TEXT NOT NULL CHECK (kind IN ('service', 'setup', 'addon', 'option', 'domain',
                                                'discount', 'tax', 'credit', 'gateway_fee', 'manual')),
    description  TEXT NOT NULL,
    service_id   INTEGER REFERENCES services (id),
    domain_id    INTEGER REFERENCES domains (id),
    period_start TEXT,
    period_end   TEXT,
    quantity     INTEGER NOT NULL DEFAULT 1 CHECK (quantity > 0),
    unit_amount  INTEGER NOT NULL,
    amount       INTEGER NOT NULL,
    CHECK (amount = quantity * unit_amount),
    UNIQUE (invoice_id, position)
) STRICT;

INSERT INTO invoice_items_new (id, invoice_id, position, kind, description, service_id,
                               period_start, period_end, quantity, unit_amount, amount)
SELECT id, invoice_id, position, kind, description, service_id,
       period_start, period_end, quantity, unit_amount, amount
FROM invoice_items;

DROP TABLE invoice_items;
ALTER TABLE invoice_items_new RENAME TO invoice_items;
