//! Working through due rows in batches of one transaction each, and the
//! day arithmetic the steps share.

use jiff::{Span, civil::Date};
use rusqlite::Connection;

use crate::{
    db::Db,
    error::{AppError, Result},
};

pub(super) const BATCH: i64 = 250;

pub(super) fn days(d: Date, n: i64) -> Result<String> {
    Ok(d.checked_add(Span::new().days(n))
        .map_err(AppError::internal)?
        .to_string())
}

pub(super) const EPOCH: &str = "0000-01-01";

/// Page through `fetch` (after the last id) running `each` on every item,
/// one write transaction per page.
pub(super) fn in_batches<T>(
    db: &Db,
    fetch: impl Fn(&Connection, i64) -> Result<Vec<T>>,
    id: impl Fn(&T) -> i64,
    each: impl Fn(&Connection, &T) -> Result<bool>,
) -> Result<u64> {
    let mut after = 0;
    let mut count = 0;
    loop {
        let (n, last) = db.write(|tx| {
            let items = fetch(tx, after)?;
            let mut n = 0;
            for item in &items {
                if each(tx, item)? {
                    n += 1;
                }
            }
            Ok((n, items.last().map(&id)))
        })?;
        count += n;
        match last {
            Some(last) => after = last,
            None => return Ok(count),
        }
    }
}
