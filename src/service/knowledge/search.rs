//! Searching the knowledgebase, and the articles related to a subject a
//! customer is typing (the ticket form asks while they type). Both see
//! only what the reader may read.

use crate::{
    db::Db,
    domain::knowledge::{Match, fts_query},
    error::{AppError, Result},
    store::knowledge::search,
};

use super::articles::{ArticleSummary, summary};

/// The longest query taken, in characters.
pub const MAX_QUERY: usize = 200;
/// Most results of a search.
pub const SEARCH_LIMIT: i64 = 25;
/// Most related articles asked for at once.
pub const MAX_RELATED: i64 = 10;

fn checked_query(query: &str) -> Result<&str> {
    let query = query.trim();
    if query.is_empty() {
        return Err(AppError::invalid("q", "type something to search for"));
    }
    if query.chars().count() > MAX_QUERY {
        return Err(AppError::invalid(
            "q",
            format!("must be at most {MAX_QUERY} characters"),
        ));
    }
    Ok(query)
}

/// Articles with every word of `query` (the last may be half typed), best
/// first: titles weigh more than bodies.
pub fn search(db: &Db, query: &str, logged_in: bool) -> Result<Vec<ArticleSummary>> {
    let Some(fts) = fts_query(checked_query(query)?, Match::All) else {
        return Ok(Vec::new());
    };
    db.read(|c| {
        Ok(search::matching(c, &fts, logged_in, SEARCH_LIMIT)?
            .iter()
            .map(summary)
            .collect())
    })
}

/// Up to `limit` (1 to 10) articles sharing words of three letters or
/// more with `query`, best first; none for a query without such words.
pub fn related(db: &Db, query: &str, logged_in: bool, limit: i64) -> Result<Vec<ArticleSummary>> {
    if !(1..=MAX_RELATED).contains(&limit) {
        return Err(AppError::invalid(
            "limit",
            format!("must be between 1 and {MAX_RELATED}"),
        ));
    }
    if query.chars().count() > MAX_QUERY {
        return Err(AppError::invalid(
            "q",
            format!("must be at most {MAX_QUERY} characters"),
        ));
    }
    let Some(fts) = fts_query(query, Match::Any) else {
        return Ok(Vec::new());
    };
    db.read(|c| {
        Ok(search::matching(c, &fts, logged_in, limit)?
            .iter()
            .map(summary)
            .collect())
    })
}
