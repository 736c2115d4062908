-- 0016: what happens to a billed period when staff cancel its invoice, and
-- addons ordered for a service that is already live.

-- A renewal invoice cancelled by staff leaves its periods 'released' (they
-- count as unbilled again, so the next renewal run invoices them afresh at
-- the prices of then) or 'waived' (given free: they count as paid and the
-- service's next due date moves past them). NULL: billed as usual.
ALTER TABLE invoice_items ADD COLUMN period_outcome TEXT
    CHECK (period_outcome IN ('released', 'waived'));

-- A released period may be billed again, so the once-per-period rule of
-- 0014 counts only periods that are not released.
DROP INDEX invoice_items_service_period;
CREATE UNIQUE INDEX invoice_items_service_period ON invoice_items (service_id, period_start)
    WHERE kind = 'service' AND service_id IS NOT NULL AND period_start IS NOT NULL
      AND period_outcome IS NOT 'released';

-- An addon ordered for a live service waits (pending) for the invoice that
-- charges it, and starts when that invoice is paid.
ALTER TABLE service_addons ADD COLUMN invoice_id INTEGER REFERENCES invoices (id);
CREATE INDEX service_addons_by_invoice ON service_addons (invoice_id) WHERE invoice_id IS NOT NULL;
