-- 0006: tax rules by country and state. Settings `tax.prices_include_tax`
-- and `tax.seller_country` live in `settings`.

CREATE TABLE tax_rules (
    id         INTEGER PRIMARY KEY,
    -- ISO 3166 alpha-2, upper case.
    country    TEXT NOT NULL CHECK (length(country) = 2),
    -- '' for the whole country; a state or region code otherwise.
    state      TEXT NOT NULL DEFAULT '',
    name       TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
    -- Thousandths of a percent: 20% is 20000.
    rate_milli INTEGER NOT NULL CHECK (rate_milli BETWEEN 0 AND 100000),
    created_at TEXT NOT NULL,
    UNIQUE (country, state)
) STRICT;
