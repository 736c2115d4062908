//! The `ticket_search` FTS5 index (kept by triggers on `ticket_messages`
//! and `tickets`): which tickets' subjects or messages match a query.

use rusqlite::{Connection, params};

/// A user's words as an FTS5 query that cannot be a syntax error: every
/// word quoted (inner quotes doubled) and matched as a prefix, all of
/// them required. `None` when there is no word to look for.
pub fn fts_query(words: &str) -> Option<String> {
    let terms: Vec<String> = words
        .split_whitespace()
        .take(10)
        .map(|w| format!("\"{}\"*", w.replace('"', "\"\"")))
        .collect();
    (!terms.is_empty()).then(|| terms.join(" "))
}

/// Ticket ids whose subject or messages match `query` (from `fts_query`),
/// best first. For a client (`client_id`) internal notes never match.
pub fn matching(
    conn: &Connection,
    query: &str,
    client_id: Option<i64>,
    limit: i64,
) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT ticket_id FROM (
             SELECT m.ticket_id AS ticket_id, s.rank AS score FROM ticket_search s
             JOIN ticket_messages m ON m.id = s.rowid
             JOIN tickets t ON t.id = m.ticket_id
             WHERE ticket_search MATCH ?1
               AND (?2 IS NULL OR (t.client_id = ?2 AND m.kind = 'message')))
         GROUP BY ticket_id ORDER BY MIN(score) LIMIT ?3",
    )?;
    let rows = stmt.query_map(params![query, client_id, limit], |r| r.get(0))?;
    rows.collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_become_quoted_prefixes() {
        assert_eq!(
            fts_query("disk full").as_deref(),
            Some("\"disk\"* \"full\"*")
        );
        assert_eq!(fts_query("a\"b OR").as_deref(), Some("\"a\"\"b\"* \"OR\"*"));
        assert_eq!(fts_query("  "), None);
    }
}
