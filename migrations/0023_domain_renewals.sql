-- 0023: domain renewals. A domain's term is billed like a service's
-- period: a `domain` invoice line with the domain and the term it buys
-- (period_start = the expiry it renews from), once per term (a released
-- line, from a cancelled invoice, may be billed again). Reminders before
-- expiry are sent once per expiry date and threshold.

CREATE UNIQUE INDEX invoice_items_domain_period ON invoice_items (domain_id, period_start)
    WHERE kind = 'domain' AND domain_id IS NOT NULL AND period_start IS NOT NULL
      AND period_outcome IS NOT 'released';

CREATE TABLE domain_reminders (
    domain_id   INTEGER NOT NULL REFERENCES domains (id),
    -- The expiry the reminder was about: a renewed domain is reminded
    -- again before its next one.
    expiry_date TEXT NOT NULL,
    days_before INTEGER NOT NULL CHECK (days_before BETWEEN 0 AND 365),
    sent_at     TEXT NOT NULL,
    PRIMARY KEY (domain_id, expiry_date, days_before)
) STRICT, WITHOUT ROWID;
