//! The job that asks again about ids due for a check.

use jiff::{SignedDuration, Timestamp};

use crate::{
    config::ViesConfig,
    db::Db,
    domain::{tax, time::stamp},
    error::{AppError, Result},
    service::billing::taxes,
    store::clients,
};

use super::asking::RETRY_AFTER;
use super::client_checks::check_client;

/// Ids the job asks about in one run.
const BATCH: i64 = 20;

/// The `vat_checks` job: ask about ids never checked, those VIES could not
/// answer an hour ago or more, and valid ones older than `recheck_days`.
/// Answers how many outcomes were recorded.
pub async fn run_due(db: &Db, vies_config: &ViesConfig, now: Timestamp) -> Result<u64> {
    let retry_before = stamp(now.checked_sub(RETRY_AFTER).unwrap_or(now));
    let recheck_before = (vies_config.recheck_days > 0).then(|| {
        let age = SignedDuration::from_hours(24 * i64::from(vies_config.recheck_days));
        stamp(now.checked_sub(age).unwrap_or(now))
    });
    let countries = serde_json::to_string(&tax::EU).map_err(AppError::internal)?;
    let due = db
        .run(move |db| {
            db.read(|c| {
                if !tax::in_eu(&taxes::load_settings(c)?.seller_country) {
                    return Ok(Vec::new());
                }
                Ok(clients::due_vat_checks(
                    c,
                    &countries,
                    &retry_before,
                    recheck_before.as_deref(),
                    BATCH,
                )?)
            })
        })
        .await?;
    let mut recorded = 0;
    for id in due {
        if check_client(db, vies_config, id, true, now).await? {
            recorded += 1;
        }
    }
    Ok(recorded)
}
