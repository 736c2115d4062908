//! Staff management of servers and server groups (reference 002
//! `/servers`). A server's secret (API token or password) is sealed at
//! rest and never shown: views say `has_secret`.

use crate::integrations::provisioning::{self, SERVER_SECRET, ServerAccess};
use jiff::Timestamp;

use crate::{
    auth::{
        keys::AuthKeys,
        principal::{RequestMeta, StaffPrincipal},
        sealed,
    },
    db::Db,
    domain::{scopes::Scope, time::stamp},
    error::{AppError, FieldErrors, Result},
    integrations::outbound::TargetPolicy,
    service::{
        audit::{self, Event},
        catalog::{add, fail},
    },
    store::servers::{self, Server, ServerGroup, ServerRow},
};

/// What staff send to create or change a server.
#[derive(Debug, Clone, Default)]
pub struct ServerInput {
    pub group_id: Option<i64>,
    pub name: String,
    pub hostname: String,
    pub address: String,
    pub module: String,
    pub scheme: String,
    pub port: Option<i64>,
    pub username: String,
    /// A new secret; `None` keeps the stored one.
    pub secret: Option<String>,
    pub capacity: i64,
    pub active: bool,
    pub nameservers: Vec<String>,
}

fn check(conn: &rusqlite::Connection, input: &ServerInput) -> Result<()> {
    let mut errors = FieldErrors::new();
    if input.name.trim().is_empty() {
        add(&mut errors, "name", "must not be empty");
    }
    if input.hostname.trim().is_empty() {
        add(&mut errors, "hostname", "must not be empty");
    }
    if !provisioning::MODULES.contains(&input.module.as_str()) {
        add(
            &mut errors,
            "module",
            format!("must be one of {}", provisioning::MODULES.join(", ")),
        );
    }
    if !["https", "http"].contains(&input.scheme.as_str()) {
        add(&mut errors, "scheme", "must be https or http");
    }
    if input.port.is_some_and(|p| !(1..=65535).contains(&p)) {
        add(&mut errors, "port", "must be between 1 and 65535");
    }
    if input.capacity < 0 {
        add(&mut errors, "capacity", "must not be negative");
    }
    if let Some(g) = input.group_id
        && !servers::group_exists(conn, g)?
    {
        add(&mut errors, "group_id", "no such server group");
    }
    fail(errors)
}

fn row<'a>(input: &'a ServerInput, nameservers: &'a str) -> ServerRow<'a> {
    ServerRow {
        group_id: input.group_id,
        name: input.name.trim(),
        hostname: input.hostname.trim(),
        address: input.address.trim(),
        module: &input.module,
        scheme: &input.scheme,
        port: input.port,
        username: &input.username,
        capacity: input.capacity,
        active: input.active,
        nameservers,
    }
}

fn seal(keys: &AuthKeys, secret: Option<&str>) -> Result<Option<Vec<u8>>> {
    secret
        .filter(|s| !s.is_empty())
        .map(|s| {
            sealed::seal(&keys.credentials, SERVER_SECRET, s)
                .ok_or_else(|| AppError::internal("cannot seal the server secret"))
        })
        .transpose()
}

fn audit_server(
    tx: &rusqlite::Connection,
    staff: &StaffPrincipal,
    action: &str,
    id: i64,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    audit::record(
        tx,
        now,
        Event {
            actor: staff.into(),
            action,
            subject: Some(("server", id)),
            client_id: None,
            ip: meta.ip.as_deref(),
            details: serde_json::json!({}),
        },
    )?;
    Ok(())
}

pub fn list(db: &Db, staff: &StaffPrincipal) -> Result<Vec<Server>> {
    staff.require(Scope::ServicesRead)?;
    db.read(|c| Ok(servers::all(c)?))
}

pub fn get(db: &Db, staff: &StaffPrincipal, ident: &str) -> Result<Server> {
    staff.require(Scope::ServicesRead)?;
    db.read(|c| servers::find(c, ident)?.ok_or(AppError::NotFound))
}

pub fn create(
    db: &Db,
    keys: &AuthKeys,
    staff: &StaffPrincipal,
    input: ServerInput,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Server> {
    staff.require(Scope::ServersWrite)?;
    let secret = seal(keys, input.secret.as_deref())?;
    let ns = serde_json::to_string(&input.nameservers).map_err(AppError::internal)?;
    db.write(|tx| {
        check(tx, &input)?;
        let uuid = uuid::Uuid::now_v7().to_string();
        let id = servers::insert(tx, &uuid, &row(&input, &ns), secret.as_deref(), &stamp(now))?;
        audit_server(tx, staff, "server.created", id, meta, now)?;
        servers::find(tx, &id.to_string())?.ok_or(AppError::NotFound)
    })
}

pub fn update(
    db: &Db,
    keys: &AuthKeys,
    staff: &StaffPrincipal,
    ident: &str,
    input: ServerInput,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Server> {
    staff.require(Scope::ServersWrite)?;
    let secret = seal(keys, input.secret.as_deref())?;
    let ns = serde_json::to_string(&input.nameservers).map_err(AppError::internal)?;
    db.write(|tx| {
        let existing = servers::find(tx, ident)?.ok_or(AppError::NotFound)?;
        check(tx, &input)?;
        if secret.is_none() && existing.secret.is_some() && moves_secret(&existing, &input) {
            let mut errors = FieldErrors::new();
            add(
                &mut errors,
                "secret",
                "must be given again when the hostname, address, scheme or port changes",
            );
            fail(errors)?;
        }
        servers::update(
            tx,
            existing.id,
            &row(&input, &ns),
            secret.as_deref(),
            &stamp(now),
        )?;
        audit_server(tx, staff, "server.updated", existing.id, meta, now)?;
        servers::find(tx, &existing.id.to_string())?.ok_or(AppError::NotFound)
    })
}

/// Whether `input` would send the stored secret somewhere else: to another
/// host, another port, or in the clear. Whoever points a server elsewhere
/// must know its secret; otherwise anyone allowed to edit servers could
/// collect every panel's credentials on a host of their own.
fn moves_secret(existing: &Server, input: &ServerInput) -> bool {
    existing.hostname != input.hostname.trim()
        || existing.address != input.address.trim()
        || existing.scheme != input.scheme
        || existing.port != input.port
}

/// Retire a server: it takes no new services; those on it stay.
pub fn retire(
    db: &Db,
    staff: &StaffPrincipal,
    ident: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<Server> {
    staff.require(Scope::ServersWrite)?;
    db.write(|tx| {
        let existing = servers::find(tx, ident)?.ok_or(AppError::NotFound)?;
        servers::deactivate(tx, existing.id, &stamp(now))?;
        audit_server(tx, staff, "server.retired", existing.id, meta, now)?;
        servers::find(tx, &existing.id.to_string())?.ok_or(AppError::NotFound)
    })
}

/// Ask the server's module whether it can reach the server (a network
/// call, outside any transaction). Answers (ok, message).
pub async fn test_connection(
    db: &Db,
    keys: &AuthKeys,
    targets: &TargetPolicy,
    staff: &StaffPrincipal,
    ident: &str,
    now: Timestamp,
) -> Result<(bool, String)> {
    staff.require(Scope::ServersWrite)?;
    let ident = ident.to_string();
    let server = db
        .run(move |db| db.read(|c| servers::find(c, &ident)?.ok_or(AppError::NotFound)))
        .await?;
    let access = ServerAccess {
        id: server.id,
        secret: server
            .secret
            .as_deref()
            .and_then(|b| sealed::open(&keys.credentials, SERVER_SECRET, b))
            .unwrap_or_default(),
        hostname: server.hostname,
        address: server.address,
        scheme: server.scheme,
        port: server.port,
        username: server.username,
        targets: targets.clone(),
    };
    let module = provisioning::module_for(&server.module)
        .ok_or_else(|| AppError::BadRequest(format!("unknown module {}", server.module)))?;
    Ok(
        match module.test_connection(&access, now.as_second()).await {
            Ok(message) => (true, message),
            Err(e) => (false, e.to_string()),
        },
    )
}

pub fn groups(db: &Db, staff: &StaffPrincipal) -> Result<Vec<ServerGroup>> {
    staff.require(Scope::ServicesRead)?;
    db.read(|c| Ok(servers::groups(c)?))
}

pub fn create_group(
    db: &Db,
    staff: &StaffPrincipal,
    name: &str,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<ServerGroup> {
    staff.require(Scope::ServersWrite)?;
    let name = name.trim();
    if name.is_empty() {
        let mut errors = FieldErrors::new();
        add(&mut errors, "name", "must not be empty");
        fail(errors)?;
    }
    db.write(|tx| {
        if servers::groups(tx)?.iter().any(|g| g.name == name) {
            return Err(AppError::Conflict(
                "a server group with this name exists".into(),
            ));
        }
        let id = servers::insert_group(tx, name, &stamp(now))?;
        audit::record(
            tx,
            now,
            Event {
                actor: staff.into(),
                action: "server_group.created",
                subject: Some(("server_group", id)),
                client_id: None,
                ip: meta.ip.as_deref(),
                details: serde_json::json!({ "name": name }),
            },
        )?;
        servers::groups(tx)?
            .into_iter()
            .find(|g| g.id == id)
            .ok_or(AppError::NotFound)
    })
}

/// Set a product's server group and, when given, its module secret (the
/// webhook signing key), sealed.
pub fn set_product_provisioning(
    db: &Db,
    keys: &AuthKeys,
    staff: &StaffPrincipal,
    product_id: i64,
    group_id: Option<i64>,
    module_secret: Option<&str>,
    now: Timestamp,
) -> Result<()> {
    staff.require(Scope::CatalogWrite)?;
    let sealed = module_secret
        .filter(|s| !s.is_empty())
        .map(|s| {
            sealed::seal(&keys.credentials, provisioning::PRODUCT_SECRET, s)
                .ok_or_else(|| AppError::internal("cannot seal the module secret"))
        })
        .transpose()?;
    db.write(|tx| {
        if let Some(g) = group_id
            && !servers::group_exists(tx, g)?
        {
            let mut errors = FieldErrors::new();
            add(&mut errors, "server_group_id", "no such server group");
            fail(errors)?;
        }
        servers::set_product_provisioning(
            tx,
            product_id,
            group_id,
            sealed.as_deref(),
            &stamp(now),
        )?;
        Ok(())
    })
}
