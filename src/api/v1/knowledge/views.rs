//! The JSON shapes of the knowledgebase and news. Readers get Markdown
//! only as sanitized HTML (`*_html`); staff also get the Markdown they
//! wrote. Titles and names are plain text.

use serde::Serialize;
use utoipa::ToSchema;

use crate::{
    api::extract::pagination::{Links, Meta},
    service::knowledge::{
        articles::{ArticleSummary, ShownArticle},
        categories::ShownCategory,
        news::ShownNews,
    },
    store::knowledge::categories::Category,
};

/// A category as a reader sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct KbCategoryView {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub name: String,
    pub slug: String,
    /// Sanitized HTML from the category's Markdown description.
    pub description_html: String,
    /// `public` or `logged_in`.
    pub visibility: String,
    /// Articles in it the reader may see.
    pub articles: i64,
    /// Its subcategories (top-level categories only).
    pub children: Vec<KbSubcategoryView>,
}

/// A subcategory in its parent's listing.
#[derive(Debug, Serialize, ToSchema)]
pub struct KbSubcategoryView {
    pub id: i64,
    pub name: String,
    pub slug: String,
    pub description_html: String,
    pub visibility: String,
    pub articles: i64,
}

pub fn category_view(c: &ShownCategory) -> KbCategoryView {
    KbCategoryView {
        id: c.category.id,
        parent_id: c.category.parent_id,
        name: c.category.name.clone(),
        slug: c.category.slug.clone(),
        description_html: c.description_html.as_str().to_string(),
        visibility: c.category.visibility.to_string(),
        articles: c.category.articles,
        children: c
            .children
            .iter()
            .map(|k| KbSubcategoryView {
                id: k.category.id,
                name: k.category.name.clone(),
                slug: k.category.slug.clone(),
                description_html: k.description_html.as_str().to_string(),
                visibility: k.category.visibility.to_string(),
                articles: k.category.articles,
            })
            .collect(),
    }
}

/// Which category an article is in.
#[derive(Debug, Serialize, ToSchema)]
pub struct KbCategoryRef {
    pub id: i64,
    pub name: String,
    pub slug: String,
}

impl From<&Category> for KbCategoryRef {
    fn from(c: &Category) -> Self {
        KbCategoryRef {
            id: c.id,
            name: c.name.clone(),
            slug: c.slug.clone(),
        }
    }
}

/// An article in a list, a search or the related articles.
#[derive(Debug, Serialize, ToSchema)]
pub struct KbArticleSummaryView {
    pub id: i64,
    pub title: String,
    /// Plain text from the start of the article.
    pub excerpt: String,
    pub category: KbCategoryRef,
    /// `public` or `logged_in` (its own or its category's).
    pub visibility: String,
    pub updated_at: String,
}

pub fn summary_view(a: &ArticleSummary) -> KbArticleSummaryView {
    KbArticleSummaryView {
        id: a.id,
        title: a.title.clone(),
        excerpt: a.excerpt.clone(),
        category: KbCategoryRef {
            id: a.category_id,
            name: a.category_name.clone(),
            slug: a.category_slug.clone(),
        },
        visibility: a.shown_as.to_string(),
        updated_at: a.updated_at.clone(),
    }
}

/// "Was this helpful" counts.
#[derive(Debug, Serialize, ToSchema)]
pub struct HelpfulView {
    pub yes: i64,
    pub no: i64,
}

/// An article as a reader sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct KbArticleView {
    pub id: i64,
    pub title: String,
    /// Sanitized HTML from the article's Markdown.
    pub body_html: String,
    pub category: KbCategoryRef,
    pub visibility: String,
    pub helpful: HelpfulView,
    /// The logged-in reader's own vote (`true`: helpful), if any.
    pub my_vote: Option<bool>,
    pub created_at: String,
    pub updated_at: String,
}

pub fn article_view(s: &ShownArticle) -> KbArticleView {
    let a = &s.article;
    KbArticleView {
        id: a.id,
        title: a.title.clone(),
        body_html: s.body_html.as_str().to_string(),
        category: KbCategoryRef {
            id: a.category_id,
            name: a.category_name.clone(),
            slug: a.category_slug.clone(),
        },
        visibility: a.shown_as.to_string(),
        helpful: HelpfulView {
            yes: a.helpful_yes,
            no: a.helpful_no,
        },
        my_vote: s.my_vote,
        created_at: a.created_at.clone(),
        updated_at: a.updated_at.clone(),
    }
}

/// An announcement as a reader sees it.
#[derive(Debug, Serialize, ToSchema)]
pub struct NewsView {
    pub id: i64,
    pub title: String,
    /// Sanitized HTML from the announcement's Markdown.
    pub body_html: String,
    pub published_at: String,
}

pub fn news_view(n: &ShownNews) -> NewsView {
    NewsView {
        id: n.item.id,
        title: n.item.title.clone(),
        body_html: n.body_html.as_str().to_string(),
        published_at: n.item.published_at.clone(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KbCategoryList {
    pub data: Vec<KbCategoryView>,
}

/// A category's page: itself, its parent, its articles.
#[derive(Debug, Serialize, ToSchema)]
pub struct KbCategoryPageView {
    pub category: KbCategoryView,
    pub parent: Option<KbCategoryRef>,
    pub articles: Vec<KbArticleSummaryView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KbCategoryPageResponse {
    pub data: KbCategoryPageView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KbArticleResponse {
    pub data: KbArticleView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KbArticleSummaryList {
    pub data: Vec<KbArticleSummaryView>,
}

/// The counts after a vote.
#[derive(Debug, Serialize, ToSchema)]
pub struct KbVoteView {
    pub helpful: HelpfulView,
    pub my_vote: Option<bool>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KbVoteResponse {
    pub data: KbVoteView,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NewsList {
    pub data: Vec<NewsView>,
    pub links: Links,
    pub meta: Meta,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NewsResponse {
    pub data: NewsView,
}
