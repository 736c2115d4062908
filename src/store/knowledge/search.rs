//! Full-text search over article titles and bodies (`kb_articles_fts`,
//! FTS5, kept by the triggers of migration 26). The `MATCH` expression is
//! made by `domain::knowledge::fts_query`, never from raw input. Titles
//! weigh ten times a body's words.

use rusqlite::{Connection, params};

use super::articles::{Article, COLUMNS, JOINS, SHOWN, from_row};

/// The articles matching `fts_query` that a reader may see, best first.
pub fn matching(
    conn: &Connection,
    fts_query: &str,
    logged_in: bool,
    limit: i64,
) -> rusqlite::Result<Vec<Article>> {
    conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM kb_articles_fts f
         JOIN kb_articles a ON a.id = f.rowid {JOINS}
         WHERE {SHOWN} AND kb_articles_fts MATCH ?2
         ORDER BY bm25(kb_articles_fts, 10.0, 1.0), a.id LIMIT ?3"
    ))?
    .query_map(params![logged_in, fts_query, limit], from_row)?
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        db::test_connection,
        domain::knowledge::{Match, Visibility, fts_query},
        store::knowledge::{articles, fixtures::*},
    };

    fn titles(conn: &Connection, q: &str, how: Match, logged_in: bool) -> Vec<String> {
        matching(conn, &fts_query(q, how).unwrap(), logged_in, 10)
            .unwrap()
            .into_iter()
            .map(|a| a.title)
            .collect()
    }

    #[test]
    fn search_finds_titles_and_bodies_and_follows_edits() {
        let conn = test_connection();
        let c = category(&conn, None, "domains", Visibility::Public);
        let ns = article(
            &conn,
            c,
            "Point a domain at our nameservers",
            "Set ns1 and ns2.",
            Visibility::Public,
        );
        article(
            &conn,
            c,
            "Paying an invoice",
            "Pay by card or bank transfer for your domain.",
            Visibility::Public,
        );
        article(
            &conn,
            c,
            "Secret",
            "nameservers for members",
            Visibility::LoggedIn,
        );
        // Titles rank first; "domains" matches "domain" (porter stemming).
        assert_eq!(
            titles(&conn, "domains", Match::All, false),
            ["Point a domain at our nameservers", "Paying an invoice"]
        );
        // The last word may be half typed.
        assert_eq!(
            titles(&conn, "namese", Match::All, false),
            ["Point a domain at our nameservers"]
        );
        assert_eq!(titles(&conn, "namese", Match::All, true).len(), 2);
        assert_eq!(
            titles(&conn, "card nameservers", Match::Any, false).len(),
            2
        );
        // An edit re-indexes; a deleted article is gone from the index.
        articles::update(
            &conn,
            ns,
            &articles::ArticleFields {
                category_id: c,
                title: "Glue records",
                body: "Nothing else.",
                sort_order: 0,
                visibility: Visibility::Public,
            },
            NOW,
        )
        .unwrap();
        assert!(titles(&conn, "ns1", Match::All, false).is_empty());
        assert_eq!(titles(&conn, "glue", Match::All, false), ["Glue records"]);
        articles::delete(&conn, ns).unwrap();
        assert!(titles(&conn, "glue", Match::All, false).is_empty());
    }
}
