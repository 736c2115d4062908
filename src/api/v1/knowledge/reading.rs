//! The knowledgebase for readers: categories, a category, an article,
//! search, related articles and "was this helpful". Public; with a token
//! the `logged_in` articles show too. What a reader may not see is a 404.

use actix_web::{HttpRequest, HttpResponse, web as aw};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::views::{
    HelpfulView, KbArticleResponse, KbArticleSummaryList, KbCategoryList, KbCategoryPageResponse,
    KbCategoryPageView, KbVoteResponse, KbVoteView, article_view, category_view, summary_view,
};
use crate::{
    api::{
        extract::Meta,
        v1::orders::{maybe_principal, parse_json},
    },
    error::{ApiError, AppError},
    service::knowledge::{self, Reader, articles, categories, search, votes},
    state::AppState,
};

pub(super) async fn reader(req: &HttpRequest) -> Result<Reader, AppError> {
    Ok(Reader::of(maybe_principal(req).await?.as_ref()))
}

pub(super) fn id_of(raw: &str) -> Result<i64, AppError> {
    raw.trim().parse().map_err(|_| AppError::NotFound)
}

/// The knowledgebase's categories, each with its subcategories.
#[utoipa::path(get, path = "/api/v1/knowledgebase", tag = "Knowledgebase",
    operation_id = "listKnowledgebaseCategories", security((), ("bearerAuth" = [])),
    responses((status = 200, body = KbCategoryList)))]
pub async fn list_categories(
    req: HttpRequest,
    state: aw::Data<AppState>,
) -> Result<HttpResponse, AppError> {
    let reader = reader(&req).await?;
    let tree = state.db.run(move |db| categories::tree(db, reader)).await?;
    Ok(HttpResponse::Ok().json(KbCategoryList {
        data: tree.iter().map(category_view).collect(),
    }))
}

/// A category (by id or slug) with its subcategories and articles.
#[utoipa::path(get, path = "/api/v1/knowledgebase/{category}", tag = "Knowledgebase",
    operation_id = "getKnowledgebaseCategory", security((), ("bearerAuth" = [])),
    params(("category" = String, Path, description = "Category id or slug")),
    responses((status = 200, body = KbCategoryPageResponse), (status = 404, body = ApiError)))]
pub async fn category(
    req: HttpRequest,
    state: aw::Data<AppState>,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let reader = reader(&req).await?;
    let ident = path.into_inner();
    let page = state
        .db
        .run(move |db| categories::page(db, &ident, reader))
        .await?;
    Ok(HttpResponse::Ok().json(KbCategoryPageResponse {
        data: KbCategoryPageView {
            category: category_view(&page.category),
            parent: page.parent.as_ref().map(Into::into),
            articles: page.articles.iter().map(summary_view).collect(),
        },
    }))
}

/// An article, its body as sanitized HTML.
#[utoipa::path(get, path = "/api/v1/knowledgebase/article/{id}", tag = "Knowledgebase",
    operation_id = "getKnowledgebaseArticle", security((), ("bearerAuth" = [])),
    params(("id" = i64, Path, description = "Article id")),
    responses((status = 200, body = KbArticleResponse), (status = 404, body = ApiError)))]
pub async fn article(
    req: HttpRequest,
    state: aw::Data<AppState>,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let reader = reader(&req).await?;
    let id = id_of(&path)?;
    let shown = state
        .db
        .run(move |db| articles::show(db, id, reader))
        .await?;
    Ok(HttpResponse::Ok().json(KbArticleResponse {
        data: article_view(&shown),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct SearchQuery {
    /// What to search for (up to 200 characters).
    #[serde(default)]
    pub q: String,
    /// Related articles only: how many, 1 to 10 (default 5).
    pub limit: Option<i64>,
}

/// Articles with every word of `q`, best first (at most 25).
#[utoipa::path(get, path = "/api/v1/knowledgebase/search", tag = "Knowledgebase",
    operation_id = "searchKnowledgebase", security((), ("bearerAuth" = [])),
    params(("q" = String, Query, description = "What to search for")),
    responses((status = 200, body = KbArticleSummaryList), (status = 422, body = ApiError)))]
pub async fn search(
    req: HttpRequest,
    state: aw::Data<AppState>,
    query: aw::Query<SearchQuery>,
) -> Result<HttpResponse, AppError> {
    let reader = reader(&req).await?;
    let q = query.into_inner().q;
    let found = state
        .db
        .run(move |db| search::search(db, &q, reader.logged_in()))
        .await?;
    Ok(HttpResponse::Ok().json(KbArticleSummaryList {
        data: found.iter().map(summary_view).collect(),
    }))
}

/// Articles related to a subject being typed (the ticket form asks while
/// a customer types); none when `q` has no word of three letters.
#[utoipa::path(get, path = "/api/v1/knowledgebase/related", tag = "Knowledgebase",
    operation_id = "relatedKnowledgebaseArticles", security((), ("bearerAuth" = [])),
    params(SearchQuery),
    responses((status = 200, body = KbArticleSummaryList), (status = 422, body = ApiError)))]
pub async fn related(
    req: HttpRequest,
    state: aw::Data<AppState>,
    query: aw::Query<SearchQuery>,
) -> Result<HttpResponse, AppError> {
    let reader = reader(&req).await?;
    let SearchQuery { q, limit } = query.into_inner();
    let limit = limit.unwrap_or(5);
    let found = state
        .db
        .run(move |db| knowledge::related(db, &q, reader.logged_in(), limit))
        .await?;
    Ok(HttpResponse::Ok().json(KbArticleSummaryList {
        data: found.iter().map(summary_view).collect(),
    }))
}

/// `{"helpful": true}` or `false`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct VoteBody {
    pub helpful: bool,
}

/// Say whether an article helped. A logged-in customer has one vote per
/// article (voting again changes it); without a login votes are limited
/// per address (429).
#[utoipa::path(post, path = "/api/v1/knowledgebase/article/{id}/vote", tag = "Knowledgebase",
    operation_id = "voteKnowledgebaseArticle", security((), ("bearerAuth" = [])),
    params(("id" = i64, Path, description = "Article id")), request_body = VoteBody,
    responses((status = 200, body = KbVoteResponse), (status = 404, body = ApiError),
              (status = 422, body = ApiError), (status = 429, body = ApiError)))]
pub async fn vote(
    req: HttpRequest,
    state: aw::Data<AppState>,
    meta: Meta,
    path: aw::Path<String>,
    body: aw::Bytes,
) -> Result<HttpResponse, AppError> {
    let reader = reader(&req).await?;
    let id = id_of(&path)?;
    let VoteBody { helpful } = parse_json(&req, &body)?;
    let (limiter, now) = (state.limiter.clone(), state.now());
    let tally = state
        .db
        .run(move |db| votes::vote(db, &limiter, reader, id, helpful, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(KbVoteResponse {
        data: KbVoteView {
            helpful: HelpfulView {
                yes: tally.helpful_yes,
                no: tally.helpful_no,
            },
            my_vote: tally.my_vote,
        },
    }))
}
