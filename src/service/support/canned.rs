//! Canned replies: text staff keep to paste into an answer.

use jiff::Timestamp;

use crate::{
    auth::principal::StaffPrincipal,
    db::Db,
    domain::{scopes::Scope, time::stamp},
    error::{AppError, Result},
    store::{
        is_unique_violation,
        support::canned::{self, CannedReply},
    },
};

pub fn list(db: &Db, staff: &StaffPrincipal) -> Result<Vec<CannedReply>> {
    staff.require(Scope::SupportRead)?;
    db.read(|c| Ok(canned::list(c)?))
}

fn check(title: &str, body: &str) -> Result<(String, String)> {
    let title = title.trim();
    if title.is_empty() || title.chars().count() > 120 {
        return Err(AppError::invalid(
            "title",
            "give a title of 1 to 120 characters",
        ));
    }
    let body = body.trim();
    if body.is_empty() || body.chars().count() > 20_000 {
        return Err(AppError::invalid("body", "write 1 to 20,000 characters"));
    }
    Ok((title.to_string(), body.to_string()))
}

/// Create (`id = None`) or change a canned reply.
pub fn save(
    db: &Db,
    staff: &StaffPrincipal,
    id: Option<i64>,
    title: &str,
    body: &str,
    now: Timestamp,
) -> Result<CannedReply> {
    staff.require(Scope::SupportWrite)?;
    let (title, body) = check(title, body)?;
    db.write(|tx| {
        let at = stamp(now);
        let saved = match id {
            Some(id) => canned::update(tx, id, &title, &body, &at).map(|found| found.then_some(id)),
            None => canned::insert(tx, &title, &body, &at).map(Some),
        };
        let id = saved
            .map_err(|e| {
                if is_unique_violation(&e) {
                    AppError::invalid("title", "another canned reply has this title")
                } else {
                    e.into()
                }
            })?
            .ok_or(AppError::NotFound)?;
        canned::find(tx, id)?.ok_or(AppError::NotFound)
    })
}

pub fn delete(db: &Db, staff: &StaffPrincipal, id: i64) -> Result<()> {
    staff.require(Scope::SupportWrite)?;
    db.write(|tx| {
        if canned::delete(tx, id)? {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    })
}
