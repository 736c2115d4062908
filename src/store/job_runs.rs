//! The `job_runs` table.

use rusqlite::{Connection, Row, params};

#[derive(Debug, Clone)]
pub struct JobRun {
    pub id: i64,
    pub job: String,
    pub run_for: String,
    pub started_at: String,
    pub finished_at: String,
    pub status: String,
    pub count: i64,
    pub error: Option<String>,
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<JobRun> {
    Ok(JobRun {
        id: r.get(0)?,
        job: r.get(1)?,
        run_for: r.get(2)?,
        started_at: r.get(3)?,
        finished_at: r.get(4)?,
        status: r.get(5)?,
        count: r.get(6)?,
        error: r.get(7)?,
    })
}

pub struct NewRun<'a> {
    pub job: &'a str,
    pub run_for: &'a str,
    pub started_at: &'a str,
    pub finished_at: &'a str,
    pub status: &'a str,
    pub count: i64,
    pub error: Option<&'a str>,
}

pub fn insert(conn: &Connection, r: &NewRun<'_>) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO job_runs (job, run_for, started_at, finished_at, status, count, error)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        r.job,
        r.run_for,
        r.started_at,
        r.finished_at,
        r.status,
        r.count,
        r.error
    ])?;
    Ok(conn.last_insert_rowid())
}

/// The newest runs, optionally of one job.
pub fn recent(conn: &Connection, job: Option<&str>, limit: i64) -> rusqlite::Result<Vec<JobRun>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, job, run_for, started_at, finished_at, status, count, error FROM job_runs
         WHERE ?1 IS NULL OR job = ?1 ORDER BY id DESC LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![job, limit], from_row)?;
    rows.collect()
}

/// The last run of each job, for the scheduler to know what is due after a
/// restart.
pub fn last_of_each(conn: &Connection) -> rusqlite::Result<Vec<(String, String)>> {
    let mut stmt = conn.prepare_cached("SELECT job, MAX(run_for) FROM job_runs GROUP BY job")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// Keep the log bounded.
pub fn delete_older_than(conn: &Connection, before: &str) -> rusqlite::Result<usize> {
    conn.prepare_cached("DELETE FROM job_runs WHERE started_at < ?1")?
        .execute([before])
}
