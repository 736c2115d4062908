//! Keyed operations: an `Idempotency-Key` makes a write happen once.
//!
//! The design, in three steps:
//! 1. In the write transaction that makes the effect (an order, a payment
//!    attempt), the key is recorded with the effect's id, so the key and
//!    the effect commit together or not at all.
//! 2. The service answers a typed value (`Keyed::Done`), never a rendered
//!    response; the surface that was asked (v1, the client area, a
//!    dialect) renders it and stores its answer with the key right after
//!    commit (`answer`).
//! 3. A repeated key answers the stored response byte for byte
//!    (`Keyed::Stored`). If the process died between commit and storing
//!    the answer, the service reloads the effect and the surface renders
//!    it again, from the entity as it is now.
//!
//! A key is scoped to its surface, the operation and the client, so two
//! surfaces never read each other's answers and one client's key never
//! meets another's.

use rusqlite::Connection;

use crate::{
    auth::secrets,
    db::Db,
    domain::time::stamp,
    error::{AppError, Result},
    store::idempotency,
};

/// Which interface asked: each stores answers in its own shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Surface {
    /// `/api/v1`.
    V1,
    /// The HTML client area.
    ClientArea,
}

impl Surface {
    fn prefix(self) -> &'static str {
        match self {
            Surface::V1 => "v1",
            Surface::ClientArea => "client",
        }
    }
}

/// The longest key accepted.
pub const MAX_KEY: usize = 160;

/// A key as a surface hands it to a keyed operation.
#[derive(Debug, Clone)]
pub struct KeyedRequest {
    pub surface: Surface,
    pub key: String,
    /// A digest of what was asked: the same key with another request is
    /// refused.
    pub request_hash: String,
}

impl KeyedRequest {
    /// A key from a request, checked: 1 to 160 characters after trimming.
    pub fn new(surface: Surface, key: &str, request_hash: String) -> Result<Self> {
        let key = key.trim();
        if key.is_empty() || key.len() > MAX_KEY {
            return Err(AppError::invalid(
                "Idempotency-Key",
                "send a header of 1 to 160 characters",
            ));
        }
        Ok(KeyedRequest {
            surface,
            key: key.to_string(),
            request_hash,
        })
    }
}

/// Where the answer to a key is stored once the surface has rendered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    scope: String,
    key: String,
}

/// What a keyed operation came to.
#[derive(Debug)]
pub enum Keyed<T> {
    /// The key was answered before: send this again, byte for byte.
    Stored { status: u16, body: String },
    /// The effect, made now or found made under this key with no answer
    /// stored: render it, then store the answer under `claim`.
    Done { value: T, claim: Claim },
}

/// What a key has already done.
pub(crate) enum Found {
    /// Nothing: the operation runs.
    New(Claim),
    Answered {
        status: u16,
        body: String,
    },
    /// The effect was made (or started) but no answer stored.
    Effect {
        claim: Claim,
        id: i64,
    },
}

/// Look the key up for `operation` of `client_id`, inside the write
/// transaction that may make the effect. The same key with another
/// request is a 422.
pub(crate) fn look_up(
    tx: &Connection,
    request: &KeyedRequest,
    operation: &str,
    client_id: i64,
) -> Result<Found> {
    let claim = Claim {
        scope: format!("{}:{operation}:{client_id}", request.surface.prefix()),
        key: request.key.clone(),
    };
    let Some(row) = idempotency::find(tx, &claim.scope, &claim.key)? else {
        return Ok(Found::New(claim));
    };
    if !secrets::equal(&row.request_hash, &request.request_hash) {
        return Err(AppError::invalid(
            "Idempotency-Key",
            "was already used for a different request; use a new key",
        ));
    }
    if row.status != 0 {
        return Ok(Found::Answered {
            status: row.status,
            body: row.response,
        });
    }
    let id = row
        .effect_id
        .ok_or_else(|| AppError::internal("an idempotency key without its effect"))?;
    Ok(Found::Effect { claim, id })
}

/// Record the key with the effect it made, in the effect's transaction.
pub(crate) fn record(
    tx: &Connection,
    claim: &Claim,
    request: &KeyedRequest,
    effect_kind: &str,
    effect_id: i64,
    now: jiff::Timestamp,
) -> Result<()> {
    if !idempotency::record(
        tx,
        &claim.scope,
        &claim.key,
        &request.request_hash,
        effect_kind,
        effect_id,
        &stamp(now),
    )? {
        // The transaction looked the key up first and holds the writer.
        return Err(AppError::internal("an idempotency key recorded twice"));
    }
    Ok(())
}

/// Give a key back whose work failed (a retry starts afresh).
pub(crate) fn release(tx: &Connection, claim: &Claim) -> Result<()> {
    Ok(idempotency::release(tx, &claim.scope, &claim.key)?)
}

/// Store a surface's rendered answer for a key. The first stored answer
/// stays, so two racing replays of a lost answer agree from then on.
fn remember(db: &Db, claim: &Claim, status: u16, body: &str) -> Result<()> {
    db.write(|tx| {
        Ok(idempotency::store_answer(
            tx,
            &claim.scope,
            &claim.key,
            status,
            body,
        )?)
    })
}

/// The answer to send for a keyed outcome: the stored one, or `render`'s
/// (stored for the next replay). Call it after the operation committed.
pub fn answer<T>(
    db: &Db,
    keyed: Keyed<T>,
    render: impl FnOnce(&T) -> Result<(u16, String)>,
) -> Result<(u16, String)> {
    match keyed {
        Keyed::Stored { status, body } => Ok((status, body)),
        Keyed::Done { value, claim } => {
            let (status, body) = render(&value)?;
            if let Err(e) = remember(db, &claim, status, &body) {
                // The effect is committed and answered; a replay renders it
                // again from the entity.
                tracing::warn!(error = %e, "could not store an idempotent answer");
            }
            Ok((status, body))
        }
    }
}
