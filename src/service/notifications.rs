//! Portal notifications (reference 001 `/notifications`): the same events
//! the emails tell, shown in the client area and the API, written in the
//! transaction of their cause.

use jiff::Timestamp;
use rusqlite::Connection;

use crate::{
    auth::principal::Principal,
    db::Db,
    domain::{privileges::notice_audience, time::stamp},
    error::{AppError, Result},
    store::notifications::{self, NewNotification, Notification},
};

/// Tell a client's people about something: the owners, and the contacts
/// whose privileges cover its kind (`privileges::notice_audience`).
pub fn notify(
    conn: &Connection,
    client_id: i64,
    kind: &str,
    title: &str,
    body: &str,
    link: &str,
    now: Timestamp,
) -> Result<()> {
    notifications::insert(
        conn,
        &NewNotification {
            client_id,
            kind,
            audience: &notice_audience(kind).to_json(),
            title,
            body,
            link,
            now: &stamp(now),
        },
    )?;
    Ok(())
}

fn user_id(principal: &Principal) -> Result<i64> {
    match principal {
        Principal::User(u) => Ok(u.user_id),
        Principal::Staff(_) => Err(AppError::Forbidden),
    }
}

/// The user's notifications (all, or only those not acknowledged yet),
/// as far as their privileges in each account show them.
pub fn list(db: &Db, principal: &Principal, only_new: bool) -> Result<Vec<Notification>> {
    let user = user_id(principal)?;
    db.read(|c| Ok(notifications::for_user(c, user, None, only_new, 100)?))
}

/// The same for one of the user's accounts (the client area's dashboard).
pub fn list_for_client(
    db: &Db,
    principal: &Principal,
    client_id: i64,
    only_new: bool,
) -> Result<Vec<Notification>> {
    let user = user_id(principal)?;
    db.read(|c| {
        Ok(notifications::for_user(
            c,
            user,
            Some(client_id),
            only_new,
            20,
        )?)
    })
}

/// Acknowledge one; someone else's is a 404.
pub fn ack(db: &Db, principal: &Principal, id: i64, now: Timestamp) -> Result<()> {
    let user = user_id(principal)?;
    db.write(|tx| {
        if notifications::ack(tx, id, user, &stamp(now))? {
            Ok(())
        } else {
            Err(AppError::NotFound)
        }
    })
}
