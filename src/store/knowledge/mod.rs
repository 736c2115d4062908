//! The knowledgebase and news: categories (`kb_categories`), articles
//! (`kb_articles`, searched through `kb_articles_fts`), helpful votes
//! (`kb_votes`) and announcements (`news_items`). A reader's view filters
//! in SQL: a reader who is not logged in never gets a row that is
//! `logged_in`, itself or through its categories.

pub mod articles;
pub mod categories;
pub mod news;
pub mod search;
pub mod votes;

use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use crate::domain::knowledge::Visibility;

impl FromSql for Visibility {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let text = value.as_str()?;
        Visibility::parse(text)
            .ok_or_else(|| FromSqlError::Other(format!("unknown visibility {text:?}").into()))
    }
}

impl ToSql for Visibility {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(ValueRef::Text(
            self.as_str().as_bytes(),
        )))
    }
}

#[cfg(test)]
pub(crate) mod fixtures {
    use rusqlite::Connection;

    use super::{articles, categories};
    use crate::domain::knowledge::Visibility;

    pub const NOW: &str = "2026-12-01T10:00:00Z";

    pub fn category(
        conn: &Connection,
        parent: Option<i64>,
        slug: &str,
        visibility: Visibility,
    ) -> i64 {
        categories::insert(
            conn,
            &categories::CategoryFields {
                parent_id: parent,
                name: slug,
                slug,
                description: "",
                sort_order: 0,
                visibility,
            },
            NOW,
        )
        .unwrap()
    }

    pub fn article(
        conn: &Connection,
        category: i64,
        title: &str,
        body: &str,
        visibility: Visibility,
    ) -> i64 {
        articles::insert(
            conn,
            &articles::ArticleFields {
                category_id: category,
                title,
                body,
                sort_order: 0,
                visibility,
            },
            NOW,
        )
        .unwrap()
    }
}
