//! Knowledgebase articles: one as a reader sees it (its body rendered and
//! sanitized, its helpful counts, the reader's own vote), and staff
//! writing them.

use jiff::Timestamp;

use super::{
    Reader,
    fields::{MAX_BODY, MAX_TITLE, Problems, audit_staff, visibility_of},
};
use crate::{
    auth::principal::{RequestMeta, StaffPrincipal},
    db::Db,
    domain::{
        knowledge::Visibility,
        markdown::{SafeHtml, excerpt, render},
        scopes::Scope,
        time::stamp,
    },
    error::{AppError, Result},
    store::{
        Page, PageRequest,
        knowledge::{
            articles::{self, Article, ArticleFields},
            categories, votes,
        },
    },
};

/// An article in a list or a search: no body, a plain-text excerpt.
#[derive(Debug, Clone)]
pub struct ArticleSummary {
    pub id: i64,
    pub title: String,
    /// Plain text (escape it when showing it).
    pub excerpt: String,
    pub category_id: i64,
    pub category_name: String,
    pub category_slug: String,
    pub shown_as: Visibility,
    pub updated_at: String,
}

pub fn summary(a: &Article) -> ArticleSummary {
    ArticleSummary {
        id: a.id,
        title: a.title.clone(),
        excerpt: excerpt(&a.body, 160),
        category_id: a.category_id,
        category_name: a.category_name.clone(),
        category_slug: a.category_slug.clone(),
        shown_as: a.shown_as,
        updated_at: a.updated_at.clone(),
    }
}

/// An article as a reader sees it.
#[derive(Debug, Clone)]
pub struct ShownArticle {
    pub article: Article,
    pub body_html: SafeHtml,
    /// The logged-in reader's own vote, if they gave one.
    pub my_vote: Option<bool>,
}

/// An article, or a 404 when the reader may not see it.
pub fn show(db: &Db, id: i64, reader: Reader) -> Result<ShownArticle> {
    db.read(|c| {
        let article = articles::find_shown(c, id, reader.logged_in())?.ok_or(AppError::NotFound)?;
        let my_vote = match reader {
            Reader::User(user) => votes::of_user(c, id, user)?,
            _ => None,
        };
        Ok(ShownArticle {
            body_html: render(&article.body),
            article,
            my_vote,
        })
    })
}

/// An article as staff send it.
#[derive(Debug, Clone, Default)]
pub struct ArticleInput {
    pub category_id: i64,
    pub title: String,
    /// Markdown.
    pub body: String,
    pub sort_order: i64,
    /// `public` or `logged_in`.
    pub visibility: String,
}

/// Every article, or one category's (staff, `support:read`).
pub fn list_all(
    db: &Db,
    staff: &StaffPrincipal,
    category_id: Option<i64>,
    page: PageRequest,
) -> Result<Page<Article>> {
    staff.require(Scope::SupportRead)?;
    db.read(|c| Ok(articles::list_all(c, category_id, page)?))
}

/// One article with its body rendered, whoever may read it (staff).
pub fn get(db: &Db, staff: &StaffPrincipal, id: i64) -> Result<ShownArticle> {
    staff.require(Scope::SupportRead)?;
    db.read(|c| {
        let article = articles::find(c, id)?.ok_or(AppError::NotFound)?;
        Ok(ShownArticle {
            body_html: render(&article.body),
            article,
            my_vote: None,
        })
    })
}

fn checked(tx: &rusqlite::Connection, input: &ArticleInput) -> Result<(String, String)> {
    let mut p = Problems::default();
    let title = p.line("title", &input.title, MAX_TITLE);
    let body = p.markdown("body", &input.body, MAX_BODY, true);
    p.visibility(&input.visibility);
    if categories::find(tx, input.category_id)?.is_none() {
        p.add("category_id", "no such category");
    }
    p.check()?;
    Ok((title, body))
}

fn fields<'a>(input: &'a ArticleInput, checked: &'a (String, String)) -> ArticleFields<'a> {
    ArticleFields {
        category_id: input.category_id,
        title: &checked.0,
        body: &checked.1,
        sort_order: input.sort_order,
        visibility: visibility_of(&input.visibility),
    }
}

fn shown_after_write(tx: &rusqlite::Connection, id: i64) -> Result<ShownArticle> {
    let article = articles::find(tx, id)?.ok_or(AppError::NotFound)?;
    Ok(ShownArticle {
        body_html: render(&article.body),
        article,
        my_vote: None,
    })
}

pub fn create(
    db: &Db,
    staff: &StaffPrincipal,
    input: ArticleInput,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<ShownArticle> {
    staff.require(Scope::SupportWrite)?;
    db.write(|tx| {
        let checked = checked(tx, &input)?;
        let id = articles::insert(tx, &fields(&input, &checked), &stamp(now))?;
        let details = serde_json::json!({ "title": checked.0, "category_id": input.category_id });
        audit_staff(
            tx,
            staff,
            "kb.article_created",
            ("kb_article", id),
            details,
            meta,
            now,
        )?;
        shown_after_write(tx, id)
    })
}

pub fn update(
    db: &Db,
    staff: &StaffPrincipal,
    id: i64,
    input: ArticleInput,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<ShownArticle> {
    staff.require(Scope::SupportWrite)?;
    db.write(|tx| {
        articles::find(tx, id)?.ok_or(AppError::NotFound)?;
        let checked = checked(tx, &input)?;
        articles::update(tx, id, &fields(&input, &checked), &stamp(now))?;
        let details = serde_json::json!({ "title": checked.0, "category_id": input.category_id });
        audit_staff(
            tx,
            staff,
            "kb.article_updated",
            ("kb_article", id),
            details,
            meta,
            now,
        )?;
        shown_after_write(tx, id)
    })
}

/// Delete an article and its votes.
pub fn delete(
    db: &Db,
    staff: &StaffPrincipal,
    id: i64,
    meta: &RequestMeta,
    now: Timestamp,
) -> Result<()> {
    staff.require(Scope::SupportWrite)?;
    db.write(|tx| {
        let article = articles::find(tx, id)?.ok_or(AppError::NotFound)?;
        articles::delete(tx, id)?;
        let details = serde_json::json!({ "title": article.title });
        audit_staff(
            tx,
            staff,
            "kb.article_deleted",
            ("kb_article", id),
            details,
            meta,
            now,
        )
    })
}
