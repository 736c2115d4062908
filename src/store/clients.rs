//! The `clients` table.

use rusqlite::{Connection, OptionalExtension, Row, params};

use super::{Page, PageRequest};

#[derive(Debug, Clone)]
pub struct Client {
    pub id: i64,
    pub uuid: String,
    pub kind: String,
    pub first_name: String,
    pub last_name: String,
    pub company_name: Option<String>,
    pub company_number: Option<String>,
    pub email: String,
    pub phone: String,
    pub address1: String,
    pub address2: String,
    pub city: String,
    pub state: String,
    pub postcode: String,
    pub country: String,
    pub vat_id: Option<String>,
    pub currency_code: String,
    pub credit_balance: i64,
    pub status: String,
    pub created_at: String,
    /// What is known about `vat_id` (`domain::vat_id::VatStatus`).
    pub vat_status: String,
    pub vat_checked_at: Option<String>,
    /// `vies`, `format` (it was not even well formed) or `staff`.
    pub vat_source: Option<String>,
    /// VIES's name and address, why it could not answer, or staff's note.
    pub vat_detail: String,
}

impl Client {
    /// The company name, or the person's name.
    pub fn display_name(&self) -> String {
        match self
            .company_name
            .as_deref()
            .filter(|c| !c.trim().is_empty())
        {
            Some(company) => company.to_string(),
            None => format!("{} {}", self.first_name, self.last_name)
                .trim()
                .to_string(),
        }
    }
}

const COLUMNS: &str = "id, uuid, kind, first_name, last_name, company_name, company_number, email, \
     phone, address1, address2, city, state, postcode, country, vat_id, currency_code, \
     credit_balance, status, created_at, vat_status, vat_checked_at, vat_source, vat_detail";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Client> {
    Ok(Client {
        id: r.get(0)?,
        uuid: r.get(1)?,
        kind: r.get(2)?,
        first_name: r.get(3)?,
        last_name: r.get(4)?,
        company_name: r.get(5)?,
        company_number: r.get(6)?,
        email: r.get(7)?,
        phone: r.get(8)?,
        address1: r.get(9)?,
        address2: r.get(10)?,
        city: r.get(11)?,
        state: r.get(12)?,
        postcode: r.get(13)?,
        country: r.get(14)?,
        vat_id: r.get(15)?,
        currency_code: r.get(16)?,
        credit_balance: r.get(17)?,
        status: r.get(18)?,
        created_at: r.get(19)?,
        vat_status: r.get(20)?,
        vat_checked_at: r.get(21)?,
        vat_source: r.get(22)?,
        vat_detail: r.get(23)?,
    })
}

/// The editable profile of a client.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub kind: String,
    pub first_name: String,
    pub last_name: String,
    pub company_name: Option<String>,
    pub company_number: Option<String>,
    pub email: String,
    pub phone: String,
    pub address1: String,
    pub address2: String,
    pub city: String,
    pub state: String,
    pub postcode: String,
    pub country: String,
    pub vat_id: Option<String>,
}

impl Profile {
    pub fn of(c: &Client) -> Profile {
        Profile {
            kind: c.kind.clone(),
            first_name: c.first_name.clone(),
            last_name: c.last_name.clone(),
            company_name: c.company_name.clone(),
            company_number: c.company_number.clone(),
            email: c.email.clone(),
            phone: c.phone.clone(),
            address1: c.address1.clone(),
            address2: c.address2.clone(),
            city: c.city.clone(),
            state: c.state.clone(),
            postcode: c.postcode.clone(),
            country: c.country.clone(),
            vat_id: c.vat_id.clone(),
        }
    }
}

pub fn insert(
    conn: &Connection,
    uuid: &str,
    p: &Profile,
    currency: &str,
    now: &str,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO clients (uuid, kind, first_name, last_name, company_name, company_number, email,
            phone, address1, address2, city, state, postcode, country, vat_id, currency_code,
            created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?17)",
    )?
    .execute(params![
        uuid,
        p.kind,
        p.first_name,
        p.last_name,
        p.company_name,
        p.company_number,
        p.email,
        p.phone,
        p.address1,
        p.address2,
        p.city,
        p.state,
        p.postcode,
        p.country,
        p.vat_id,
        currency,
        now
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Change the profile. A new VAT id or country makes the id's validation
/// start over (in an UPDATE, the columns on the right are the old values).
pub fn update_profile(conn: &Connection, id: i64, p: &Profile, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE clients SET kind = ?2, first_name = ?3, last_name = ?4, company_name = ?5,
            company_number = ?6, email = ?7, phone = ?8, address1 = ?9, address2 = ?10, city = ?11,
            state = ?12, postcode = ?13, country = ?14, vat_id = ?15, updated_at = ?16,
            vat_status = CASE WHEN vat_id IS ?15 AND country = ?14 THEN vat_status ELSE 'unchecked' END,
            vat_checked_at = CASE WHEN vat_id IS ?15 AND country = ?14 THEN vat_checked_at END,
            vat_source = CASE WHEN vat_id IS ?15 AND country = ?14 THEN vat_source END,
            vat_detail = CASE WHEN vat_id IS ?15 AND country = ?14 THEN vat_detail ELSE '' END
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        p.kind,
        p.first_name,
        p.last_name,
        p.company_name,
        p.company_number,
        p.email,
        p.phone,
        p.address1,
        p.address2,
        p.city,
        p.state,
        p.postcode,
        p.country,
        p.vat_id,
        now
    ])?;
    Ok(())
}

pub fn find(conn: &Connection, id: i64) -> rusqlite::Result<Option<Client>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM clients WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()
}

/// A client by integer id or uuid, as paths accept either.
pub fn find_by_ident(conn: &Connection, ident: &str) -> rusqlite::Result<Option<Client>> {
    match ident.parse::<i64>() {
        Ok(id) => find(conn, id),
        Err(_) => conn
            .prepare_cached(&format!("SELECT {COLUMNS} FROM clients WHERE uuid = ?1"))?
            .query_row([ident], from_row)
            .optional(),
    }
}

/// The clients a user belongs to, with the membership role.
pub fn for_user(conn: &Connection, user_id: i64) -> rusqlite::Result<Vec<(Client, String)>> {
    let cols = COLUMNS
        .split(", ")
        .map(|c| format!("c.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {cols}, m.role FROM clients c JOIN memberships m ON m.client_id = c.id
         WHERE m.user_id = ?1 ORDER BY m.role DESC, c.id"
    ))?;
    let rows = stmt.query_map([user_id], |r| Ok((from_row(r)?, r.get(24)?)))?;
    rows.collect()
}

/// A VAT check's outcome.
pub struct VatCheck<'a> {
    pub status: &'a str,
    pub source: &'a str,
    pub detail: &'a str,
    pub checked_at: &'a str,
}

/// Record `check` for the VAT id `vat_id` of `country`, unless the client
/// changed either meanwhile (the check was about an id it no longer has).
/// Answers whether it was recorded.
pub fn record_vat_check(
    conn: &Connection,
    id: i64,
    vat_id: &str,
    country: &str,
    check: &VatCheck<'_>,
) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached(
            "UPDATE clients SET vat_status = ?4, vat_source = ?5, vat_detail = ?6,
                vat_checked_at = ?7, updated_at = ?7
             WHERE id = ?1 AND vat_id = ?2 AND country = ?3",
        )?
        .execute(params![
            id,
            vat_id,
            country,
            check.status,
            check.source,
            check.detail,
            check.checked_at
        ])?
        > 0)
}

/// Clients in `countries` (a JSON array) whose VAT id is due a check:
/// never checked, VIES unavailable before `retry_before`, or found valid
/// before `recheck_before` (when set). Lowest ids first.
pub fn due_vat_checks(
    conn: &Connection,
    countries: &str,
    retry_before: &str,
    recheck_before: Option<&str>,
    limit: i64,
) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM clients
         WHERE vat_id IS NOT NULL AND vat_id != ''
           AND country IN (SELECT value FROM json_each(?1))
           AND (vat_status = 'unchecked'
                OR (vat_status = 'unavailable' AND vat_checked_at < ?2)
                OR (?3 IS NOT NULL AND vat_status = 'valid' AND vat_checked_at < ?3))
         ORDER BY id LIMIT ?4",
    )?;
    let rows = stmt.query_map(
        params![countries, retry_before, recheck_before, limit],
        |r| r.get(0),
    )?;
    rows.collect()
}

/// Every client, for staff, optionally filtered.
pub fn list(
    conn: &Connection,
    search: Option<&str>,
    status: Option<&str>,
    page: PageRequest,
) -> rusqlite::Result<Page<Client>> {
    let pattern = search.map(|s| format!("%{}%", s.replace('%', "\\%").replace('_', "\\_")));
    let filter = "(?1 IS NULL OR email LIKE ?1 ESCAPE '\\' OR first_name LIKE ?1 ESCAPE '\\'
                   OR last_name LIKE ?1 ESCAPE '\\' OR company_name LIKE ?1 ESCAPE '\\')
                  AND (?2 IS NULL OR status = ?2)";
    let total = conn
        .prepare_cached(&format!("SELECT COUNT(*) FROM clients WHERE {filter}"))?
        .query_row(params![pattern, status], |r| r.get(0))?;
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM clients WHERE {filter} ORDER BY id LIMIT ?3 OFFSET ?4"
    ))?;
    let rows = stmt
        .query_map(
            params![pattern, status, page.limit(), page.offset()],
            from_row,
        )?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Page { rows, total })
}
