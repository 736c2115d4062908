-- 0019: what is known about a client's VAT id. EU reverse charge applies
-- only to an id that VIES found valid or that staff verified; the result
-- and its date are kept with the client (the audit trail keeps each check).
--
-- (The "secrets" half of this release needs no schema: the master key
-- moves out of `settings` into <data_dir>/master.key at start, leaving the
-- row `auth.master_key_fingerprint`; see service/master_key.rs.)

-- unchecked: not asked yet (or not a question: no id, or outside the EU);
-- valid / invalid: VIES's answer; unavailable: VIES could not answer, asked
-- again later; verified: staff checked it themselves.
ALTER TABLE clients ADD COLUMN vat_status TEXT NOT NULL DEFAULT 'unchecked'
    CHECK (vat_status IN ('unchecked', 'valid', 'invalid', 'unavailable', 'verified'));
ALTER TABLE clients ADD COLUMN vat_checked_at TEXT;
ALTER TABLE clients ADD COLUMN vat_source TEXT
    CHECK (vat_source IS NULL OR vat_source IN ('vies', 'format', 'staff'));
-- VIES's name and address for the id, why it could not answer, or the
-- staff member's note.
ALTER TABLE clients ADD COLUMN vat_detail TEXT NOT NULL DEFAULT '';

-- The VAT check job looks for ids to ask about by status and age.
CREATE INDEX clients_vat_checks ON clients (vat_status, vat_checked_at)
    WHERE vat_id IS NOT NULL AND vat_id != '';
