//! "Was this helpful" votes (`kb_votes`): one row a vote; a logged-in
//! user's vote is one row per article, rewritten when they change it.

use rusqlite::{Connection, OptionalExtension, params};

/// Record a user's vote, or change the one they gave.
pub fn set_for_user(
    conn: &Connection,
    article_id: i64,
    user_id: i64,
    helpful: bool,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO kb_votes (article_id, user_id, helpful, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?4)
         ON CONFLICT (article_id, user_id) WHERE user_id IS NOT NULL
         DO UPDATE SET helpful = excluded.helpful, updated_at = excluded.updated_at",
    )?
    .execute(params![article_id, user_id, helpful, now])?;
    Ok(())
}

/// Record a vote nobody logged in gave.
pub fn add_anonymous(
    conn: &Connection,
    article_id: i64,
    helpful: bool,
    now: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO kb_votes (article_id, user_id, helpful, created_at, updated_at)
         VALUES (?1, NULL, ?2, ?3, ?3)",
    )?
    .execute(params![article_id, helpful, now])?;
    Ok(())
}

/// The vote a user gave an article, if any.
pub fn of_user(conn: &Connection, article_id: i64, user_id: i64) -> rusqlite::Result<Option<bool>> {
    conn.prepare_cached("SELECT helpful FROM kb_votes WHERE article_id = ?1 AND user_id = ?2")?
        .query_row(params![article_id, user_id], |r| r.get(0))
        .optional()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        db::test_connection,
        domain::knowledge::Visibility,
        store::knowledge::{articles, fixtures::*},
    };

    #[test]
    fn a_user_changes_their_vote_and_anonymous_votes_add_up() {
        let conn = test_connection();
        conn.execute_batch(
            "INSERT INTO users (id, uuid, email, first_name, last_name, created_at, updated_at)
             VALUES (7, 'u7', 'a@example.com', 'A', 'B', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')",
        )
        .unwrap();
        let c = category(&conn, None, "c", Visibility::Public);
        let a = article(&conn, c, "A", "x", Visibility::Public);
        set_for_user(&conn, a, 7, true, NOW).unwrap();
        set_for_user(&conn, a, 7, false, NOW).unwrap();
        add_anonymous(&conn, a, true, NOW).unwrap();
        add_anonymous(&conn, a, true, NOW).unwrap();
        let found = articles::find(&conn, a).unwrap().unwrap();
        assert_eq!((found.helpful_yes, found.helpful_no), (2, 1));
        assert_eq!(of_user(&conn, a, 7).unwrap(), Some(false));
        // A removed login's vote stays, as an anonymous one.
        conn.execute_batch("DELETE FROM users WHERE id = 7")
            .unwrap();
        let found = articles::find(&conn, a).unwrap().unwrap();
        assert_eq!((found.helpful_yes, found.helpful_no), (2, 1));
    }
}
