//! The `server_groups` and `servers` tables, and the product → group link.

use rusqlite::{Connection, OptionalExtension, Row, params};

#[derive(Debug, Clone)]
pub struct ServerGroup {
    pub id: i64,
    pub name: String,
    pub fill_strategy: String,
}

pub fn insert_group(conn: &Connection, name: &str, now: &str) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO server_groups (name, created_at, updated_at) VALUES (?1, ?2, ?2)",
    )?
    .execute(params![name, now])?;
    Ok(conn.last_insert_rowid())
}

pub fn groups(conn: &Connection) -> rusqlite::Result<Vec<ServerGroup>> {
    let mut stmt =
        conn.prepare_cached("SELECT id, name, fill_strategy FROM server_groups ORDER BY id")?;
    let rows = stmt.query_map([], |r| {
        Ok(ServerGroup {
            id: r.get(0)?,
            name: r.get(1)?,
            fill_strategy: r.get(2)?,
        })
    })?;
    rows.collect()
}

pub fn group_exists(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT 1 FROM server_groups WHERE id = ?1")?
        .exists([id])
}

#[derive(Debug, Clone)]
pub struct Server {
    pub id: i64,
    pub uuid: String,
    pub group_id: Option<i64>,
    pub name: String,
    pub hostname: String,
    pub address: String,
    pub module: String,
    pub scheme: String,
    pub port: Option<i64>,
    pub username: String,
    /// Sealed (see `auth::sealed`); never shown.
    pub secret: Option<Vec<u8>>,
    pub capacity: i64,
    pub active: bool,
    pub nameservers: String,
    /// Live services placed on it (not terminated or cancelled).
    pub accounts: i64,
}

const COLUMNS: &str = "s.id, s.uuid, s.group_id, s.name, s.hostname, s.address, s.module, s.scheme, \
     s.port, s.username, s.secret, s.capacity, s.active, s.nameservers, \
     (SELECT COUNT(*) FROM services v WHERE v.server_id = s.id \
        AND v.status IN ('pending', 'active', 'suspended')) AS accounts";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Server> {
    Ok(Server {
        id: r.get(0)?,
        uuid: r.get(1)?,
        group_id: r.get(2)?,
        name: r.get(3)?,
        hostname: r.get(4)?,
        address: r.get(5)?,
        module: r.get(6)?,
        scheme: r.get(7)?,
        port: r.get(8)?,
        username: r.get(9)?,
        secret: r.get(10)?,
        capacity: r.get(11)?,
        active: r.get(12)?,
        nameservers: r.get(13)?,
        accounts: r.get(14)?,
    })
}

pub struct ServerRow<'a> {
    pub group_id: Option<i64>,
    pub name: &'a str,
    pub hostname: &'a str,
    pub address: &'a str,
    pub module: &'a str,
    pub scheme: &'a str,
    pub port: Option<i64>,
    pub username: &'a str,
    pub capacity: i64,
    pub active: bool,
    pub nameservers: &'a str,
}

pub fn insert(
    conn: &Connection,
    uuid: &str,
    s: &ServerRow<'_>,
    secret: Option<&[u8]>,
    now: &str,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO servers (uuid, group_id, name, hostname, address, module, scheme, port,
            username, secret, capacity, active, nameservers, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)",
    )?
    .execute(params![
        uuid,
        s.group_id,
        s.name,
        s.hostname,
        s.address,
        s.module,
        s.scheme,
        s.port,
        s.username,
        secret,
        s.capacity,
        s.active,
        s.nameservers,
        now
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Change a server; `secret` `None` keeps the stored one.
pub fn update(
    conn: &Connection,
    id: i64,
    s: &ServerRow<'_>,
    secret: Option<&[u8]>,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE servers SET group_id = ?2, name = ?3, hostname = ?4, address = ?5, module = ?6,
            scheme = ?7, port = ?8, username = ?9, secret = COALESCE(?10, secret), capacity = ?11,
            active = ?12, nameservers = ?13, updated_at = ?14
         WHERE id = ?1",
    )?
    .execute(params![
        id,
        s.group_id,
        s.name,
        s.hostname,
        s.address,
        s.module,
        s.scheme,
        s.port,
        s.username,
        secret,
        s.capacity,
        s.active,
        s.nameservers,
        now
    ])?;
    Ok(())
}

/// Take a server out of placement (services on it keep their record).
pub fn deactivate(conn: &Connection, id: i64, now: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE servers SET active = 0, updated_at = ?2 WHERE id = ?1")?
        .execute(params![id, now])?;
    Ok(())
}

/// By id or uuid.
pub fn find(conn: &Connection, ident: &str) -> rusqlite::Result<Option<Server>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM servers s WHERE s.id = CAST(?1 AS INTEGER) OR s.uuid = ?1"
    ))?
    .query_row([ident], from_row)
    .optional()
}

pub fn all(conn: &Connection) -> rusqlite::Result<Vec<Server>> {
    let mut stmt =
        conn.prepare_cached(&format!("SELECT {COLUMNS} FROM servers s ORDER BY s.id"))?;
    let rows = stmt.query_map([], from_row)?;
    rows.collect()
}

/// The active server of `group_id` with the most room left (fewest live
/// accounts against its capacity), lowest id on a tie; none when every
/// server is full.
pub fn least_full(conn: &Connection, group_id: i64) -> rusqlite::Result<Option<Server>> {
    conn.prepare_cached(&format!(
        "SELECT * FROM (SELECT {COLUMNS} FROM servers s WHERE s.group_id = ?1 AND s.active = 1)
         WHERE capacity > accounts ORDER BY capacity - accounts DESC, id LIMIT 1"
    ))?
    .query_row([group_id], from_row)
    .optional()
}

/// A product's server group and sealed module secret.
pub fn product_provisioning(
    conn: &Connection,
    product_id: i64,
) -> rusqlite::Result<(Option<i64>, Option<Vec<u8>>)> {
    conn.prepare_cached("SELECT server_group_id, module_secret FROM products WHERE id = ?1")?
        .query_row([product_id], |r| Ok((r.get(0)?, r.get(1)?)))
}

/// Set a product's server group (`None` clears it) and, when given, its
/// sealed module secret.
/// Forget every sealed server and product module secret (after the master
/// key was lost they open nothing); answers how many were cleared.
pub fn clear_sealed_secrets(conn: &Connection, now: &str) -> rusqlite::Result<usize> {
    let servers = conn
        .prepare_cached(
            "UPDATE servers SET secret = NULL, updated_at = ?1 WHERE secret IS NOT NULL",
        )?
        .execute([now])?;
    let products = conn
        .prepare_cached(
            "UPDATE products SET module_secret = NULL, updated_at = ?1 WHERE module_secret IS NOT NULL",
        )?
        .execute([now])?;
    Ok(servers + products)
}

pub fn set_product_provisioning(
    conn: &Connection,
    product_id: i64,
    group_id: Option<i64>,
    secret: Option<&[u8]>,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "UPDATE products SET server_group_id = ?2, module_secret = COALESCE(?3, module_secret),
            updated_at = ?4 WHERE id = ?1",
    )?
    .execute(params![product_id, group_id, secret, now])?;
    Ok(())
}
