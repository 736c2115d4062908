//! Support departments: customers see the visible ones; staff
//! (`support:write`) keep them, with the staff who receive each one's mail.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::principal::{RequestMeta, StaffPrincipal},
    db::Db,
    domain::{scopes::Scope, time::stamp},
    error::{AppError, FieldErrors, Result},
    service::audit::{self, Event},
    store::{
        is_unique_violation, staff as staff_store,
        support::departments::{self, Department, DepartmentFields},
    },
};

/// The departments a customer may open tickets in.
pub fn visible(db: &Db) -> Result<Vec<Department>> {
    db.read(|c| Ok(departments::list(c, true)?))
}

/// Every department with the staff receiving it (`support:read`).
pub fn all(db: &Db, staff: &StaffPrincipal) -> Result<Vec<(Department, Vec<i64>)>> {
    staff.require(Scope::SupportRead)?;
    db.read(|c| {
        departments::list(c, false)?
            .into_iter()
            .map(|d| {
                let ids = departments::staff_ids(c, d.id)?;
                Ok((d, ids))
            })
            .collect()
    })
}

/// A department as staff send it.
#[derive(Debug, Clone)]
pub struct DepartmentInput {
    pub name: String,
    pub description: String,
    pub visible: bool,
    pub email: Option<String>,
    pub auto_reply: bool,
    pub sort_order: i64,
    pub staff_ids: Vec<i64>,
}

fn check(conn: &Connection, input: &DepartmentInput) -> Result<()> {
    let mut errors = FieldErrors::new();
    let mut add = |f: &str, m: &str| errors.entry(f.into()).or_default().push(m.into());
    if input.name.trim().is_empty() || input.name.trim().chars().count() > 100 {
        add("name", "give a name of 1 to 100 characters");
    }
    if input.description.chars().count() > 1000 {
        add("description", "at most 1,000 characters");
    }
    if let Some(e) = input.email.as_deref().filter(|e| !e.is_empty())
        && e.parse::<lettre::Address>().is_err()
    {
        add("email", "is not an email address");
    }
    for id in &input.staff_ids {
        if staff_store::find(conn, *id)?.is_none() {
            add("staff_ids", &format!("no staff member {id}"));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(AppError::Validation(errors))
    }
}

/// Create (`id = None`) or change a department.
pub fn save(
    db: &Db,
    staff: &StaffPrincipal,
    id: Option<i64>,
    input: &DepartmentInput,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<(Department, Vec<i64>)> {
    staff.require(Scope::SupportWrite)?;
    db.write(|tx| {
        check(tx, input)?;
        let email = input
            .email
            .as_deref()
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(str::to_ascii_lowercase);
        let fields = DepartmentFields {
            name: input.name.trim(),
            description: input.description.trim(),
            visible: input.visible,
            email: email.as_deref(),
            auto_reply: input.auto_reply,
            sort_order: input.sort_order,
        };
        let at = stamp(now);
        let saved = match id {
            Some(id) => {
                departments::find(tx, id)?.ok_or(AppError::NotFound)?;
                departments::update(tx, id, &fields, &at).map(|_| id)
            }
            None => departments::insert(tx, &fields, &at),
        };
        let id = saved.map_err(|e| {
            if is_unique_violation(&e) {
                AppError::invalid("name", "another department has this name or address")
            } else {
                e.into()
            }
        })?;
        departments::set_staff(tx, id, &input.staff_ids)?;
        audit::record(
            tx,
            now,
            Event {
                actor: staff.into(),
                action: "support_department.saved",
                subject: Some(("support_department", id)),
                client_id: None,
                ip: meta.ip.as_deref(),
                details: serde_json::json!({ "name": fields.name }),
            },
        )?;
        let d = departments::find(tx, id)?.ok_or(AppError::NotFound)?;
        Ok((d, departments::staff_ids(tx, id)?))
    })
}

/// The sample departments, added once with the sample data.
pub fn install_samples(db: &Db, now: Timestamp) -> Result<()> {
    let now = &stamp(now);
    db.write(|conn| {
        for (name, description, order) in [
            (
                "Support",
                "Technical help with your services and domains",
                1,
            ),
            ("Billing", "Invoices, payments and your account", 2),
        ] {
            if departments::find_by_name(conn, name)?.is_none() {
                departments::insert(
                    conn,
                    &DepartmentFields {
                        name,
                        description,
                        visible: true,
                        email: None,
                        auto_reply: true,
                        sort_order: order,
                    },
                    now,
                )?;
            }
        }
        Ok(())
    })
}
