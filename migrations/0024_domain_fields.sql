-- 0024: per-TLD registrant fields. Staff list what a registry wants
-- beyond the contact's address (`.us` nexus, `.eu` citizenship) as a JSON
-- array of domain::registrant_fields::FieldSpec; an ordered domain keeps
-- the values its customer gave (a JSON object, key -> value), which the
-- registrar is sent with the registrant contact.

ALTER TABLE tlds ADD COLUMN registrant_fields TEXT NOT NULL DEFAULT '[]';
ALTER TABLE domains ADD COLUMN registrant_fields TEXT NOT NULL DEFAULT '{}';
