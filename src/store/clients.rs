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
     credit_balance, status, created_at";

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

pub fn update_profile(conn: &Connection, id: i64, p: &Profile, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE clients SET kind = ?2, first_name = ?3, last_name = ?4, company_name = ?5,
            company_number = ?6, email = ?7, phone = ?8, address1 = ?9, address2 = ?10, city = ?11,
            state = ?12, postcode = ?13, country = ?14, vat_id = ?15, updated_at = ?16
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
    let rows = stmt.query_map([user_id], |r| Ok((from_row(r)?, r.get(20)?)))?;
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
