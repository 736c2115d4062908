-- DNS hosting: zones on a DNS backend (PowerDNS) and till's copy of their
-- records.
--
-- PowerDNS serves the zones and is the truth for what resolvers see; till
-- keeps a copy of every record it put there because (1) records need
-- stable ids for record-level edit and delete (reference 004), which
-- PowerDNS has not; (2) a change is validated against the whole zone
-- before anything is sent, and the copy is only rewritten after PowerDNS
-- took the change (one PATCH, applied whole), so a failed change leaves
-- both as they were; (3) the audit trail can say what changed. Records
-- reach PowerDNS only through till.

CREATE TABLE dns_zones (
    id          INTEGER PRIMARY KEY,
    client_id   INTEGER NOT NULL REFERENCES clients (id),
    -- The domain and/or hosting service the zone belongs to.
    domain_id   INTEGER REFERENCES domains (id),
    service_id  INTEGER REFERENCES services (id),
    -- Lower case, without the trailing dot: example.com.
    name        TEXT NOT NULL,
    backend     TEXT NOT NULL CHECK (backend IN ('powerdns', 'registrar')),
    -- pending: being made on the backend; failed: the backend refused or
    -- did not answer (last_error says why, for staff); deleted: gone.
    status      TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'active', 'failed', 'deleted')),
    last_error  TEXT,
    -- A change in flight holds the zone until then, so two changes cannot
    -- both be computed from the same copy.
    busy_until  TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
) STRICT;
-- One live zone per name.
CREATE UNIQUE INDEX dns_zones_live_name ON dns_zones (name) WHERE status <> 'deleted';
CREATE INDEX dns_zones_by_client ON dns_zones (client_id, id);
CREATE INDEX dns_zones_by_service ON dns_zones (service_id);
CREATE INDEX dns_zones_by_domain ON dns_zones (domain_id);

CREATE TABLE dns_records (
    id        INTEGER PRIMARY KEY,
    zone_id   INTEGER NOT NULL REFERENCES dns_zones (id),
    -- Absolute, with the trailing dot: www.example.com.
    name      TEXT NOT NULL,
    type      TEXT NOT NULL CHECK (type IN ('A', 'AAAA', 'CNAME', 'MX', 'TXT', 'SRV', 'CAA', 'NS')),
    -- Canonical for its type, without the priority (MX: the exchange).
    data      TEXT NOT NULL,
    priority  INTEGER CHECK (priority IS NULL OR priority BETWEEN 0 AND 65535),
    ttl       INTEGER NOT NULL CHECK (ttl BETWEEN 60 AND 604800)
) STRICT;
CREATE INDEX dns_records_by_zone ON dns_records (zone_id, id);
