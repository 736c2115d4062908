//! What staff send and get for knowledgebase categories, articles and
//! announcements (reference 002's style: `success` and `data`).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::{
    domain::markdown::render,
    service::knowledge::{
        articles::{ArticleInput, ShownArticle},
        categories::CategoryInput,
        news::{NewsInput, ShownNews},
    },
    store::knowledge::{articles::Article, categories::Category},
};

fn public() -> String {
    "public".into()
}

/// A category as staff send it (a PUT replaces every field).
#[derive(Debug, Deserialize, ToSchema)]
pub struct KbCategoryRequest {
    /// A top-level category, or none for a top-level one.
    #[serde(default)]
    pub parent_id: Option<i64>,
    pub name: String,
    /// Made from the name when empty.
    #[serde(default)]
    pub slug: String,
    /// Markdown.
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub sort_order: i64,
    /// `public` (the default) or `logged_in`.
    #[serde(default = "public")]
    pub visibility: String,
}

impl From<KbCategoryRequest> for CategoryInput {
    fn from(b: KbCategoryRequest) -> Self {
        CategoryInput {
            parent_id: b.parent_id,
            name: b.name,
            slug: b.slug,
            description: b.description,
            sort_order: b.sort_order,
            visibility: b.visibility,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffKbCategory {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub slug: String,
    /// Markdown, as written.
    pub description: String,
    /// As readers get it.
    pub description_html: String,
    pub sort_order: i64,
    pub visibility: String,
    /// Every article in it.
    pub articles: i64,
    pub created_at: String,
    pub updated_at: String,
}

pub fn staff_category(c: &Category) -> StaffKbCategory {
    StaffKbCategory {
        id: c.id,
        parent_id: c.parent_id,
        name: c.name.clone(),
        slug: c.slug.clone(),
        description: c.description.clone(),
        description_html: render(&c.description).into_string(),
        sort_order: c.sort_order,
        visibility: c.visibility.to_string(),
        articles: c.articles,
        created_at: c.created_at.clone(),
        updated_at: c.updated_at.clone(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffKbCategoryList {
    pub data: Vec<StaffKbCategory>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffKbCategoryResponse {
    pub success: bool,
    pub data: StaffKbCategory,
}

/// An article as staff send it (a PUT replaces every field).
#[derive(Debug, Deserialize, ToSchema)]
pub struct KbArticleRequest {
    pub category_id: i64,
    pub title: String,
    /// Markdown.
    pub body: String,
    #[serde(default)]
    pub sort_order: i64,
    /// `public` (the default) or `logged_in`.
    #[serde(default = "public")]
    pub visibility: String,
}

impl From<KbArticleRequest> for ArticleInput {
    fn from(b: KbArticleRequest) -> Self {
        ArticleInput {
            category_id: b.category_id,
            title: b.title,
            body: b.body,
            sort_order: b.sort_order,
            visibility: b.visibility,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffKbArticle {
    pub id: i64,
    pub category_id: i64,
    pub title: String,
    /// Markdown, as written.
    pub body: String,
    /// As readers get it (absent in lists).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_html: Option<String>,
    pub sort_order: i64,
    /// As set on the article.
    pub visibility: String,
    /// What readers get: `logged_in` when the article or a category is.
    pub shown_as: String,
    pub helpful_yes: i64,
    pub helpful_no: i64,
    pub created_at: String,
    pub updated_at: String,
}

pub fn staff_article(a: &Article, body_html: Option<String>) -> StaffKbArticle {
    StaffKbArticle {
        id: a.id,
        category_id: a.category_id,
        title: a.title.clone(),
        body: a.body.clone(),
        body_html,
        sort_order: a.sort_order,
        visibility: a.visibility.to_string(),
        shown_as: a.shown_as.to_string(),
        helpful_yes: a.helpful_yes,
        helpful_no: a.helpful_no,
        created_at: a.created_at.clone(),
        updated_at: a.updated_at.clone(),
    }
}

pub fn staff_shown_article(s: &ShownArticle) -> StaffKbArticle {
    staff_article(&s.article, Some(s.body_html.as_str().to_string()))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffKbArticleResponse {
    pub success: bool,
    pub data: StaffKbArticle,
}

/// An announcement as staff send it; without `published_at` it is
/// published now (on a PUT: it keeps its date).
#[derive(Debug, Deserialize, ToSchema)]
pub struct AnnouncementRequest {
    pub title: String,
    /// Markdown.
    pub body: String,
    /// RFC 3339; in the future: scheduled.
    #[serde(default)]
    pub published_at: Option<String>,
}

impl From<AnnouncementRequest> for NewsInput {
    fn from(b: AnnouncementRequest) -> Self {
        NewsInput {
            title: b.title,
            body: b.body,
            published_at: b.published_at,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffAnnouncement {
    pub id: i64,
    pub title: String,
    pub body: String,
    pub body_html: String,
    pub published_at: String,
    /// Not shown to readers yet.
    pub scheduled: bool,
    pub created_at: String,
    pub updated_at: String,
}

pub fn staff_announcement(n: &ShownNews) -> StaffAnnouncement {
    StaffAnnouncement {
        id: n.item.id,
        title: n.item.title.clone(),
        body: n.item.body.clone(),
        body_html: n.body_html.as_str().to_string(),
        published_at: n.item.published_at.clone(),
        scheduled: n.scheduled,
        created_at: n.item.created_at.clone(),
        updated_at: n.item.updated_at.clone(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffAnnouncementResponse {
    pub success: bool,
    pub data: StaffAnnouncement,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffKbArticleList {
    pub data: Vec<StaffKbArticle>,
    pub links: crate::api::extract::pagination::Links,
    pub meta: crate::api::extract::pagination::Meta,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffAnnouncementList {
    pub data: Vec<StaffAnnouncement>,
    pub links: crate::api::extract::pagination::Links,
    pub meta: crate::api::extract::pagination::Meta,
}
