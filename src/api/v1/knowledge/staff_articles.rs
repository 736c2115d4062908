//! Staff knowledgebase articles: `/api/v1/kb-articles` (`support:read`
//! to read, `support:write` to change).

use actix_web::{HttpRequest, HttpResponse, web as aw};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{
    reading::id_of,
    staff_views::{
        KbArticleRequest, StaffKbArticleList, StaffKbArticleResponse, staff_article,
        staff_shown_article,
    },
};
use crate::{
    api::{
        extract::{
            ApiStaff, Meta,
            pagination::{PageQuery, paginate},
        },
        v1::staff::keys::SuccessMessage,
    },
    error::{ApiError, AppError},
    service::knowledge::articles,
    state::AppState,
};

#[derive(Debug, Deserialize, IntoParams)]
pub struct ArticleFilter {
    /// Only this category's articles.
    pub category_id: Option<i64>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// Every article (or one category's), last changed first.
#[utoipa::path(get, path = "/api/v1/kb-articles", tag = "Staff knowledgebase",
    operation_id = "listKbArticles", security(("bearerAuth" = [])), params(ArticleFilter),
    responses((status = 200, body = StaffKbArticleList), (status = 403, body = ApiError)))]
pub async fn list(
    req: HttpRequest,
    state: aw::Data<AppState>,
    staff: ApiStaff,
    query: aw::Query<ArticleFilter>,
) -> Result<HttpResponse, AppError> {
    let q = query.into_inner();
    let page = PageQuery {
        page: q.page,
        per_page: q.per_page,
    }
    .request()?;
    let found = state
        .db
        .run(move |db| articles::list_all(db, &staff.0, q.category_id, page))
        .await?;
    let data = found.rows.iter().map(|a| staff_article(a, None)).collect();
    Ok(HttpResponse::Ok().json(paginate(&req, data, page, found.total)))
}

/// Add an article.
#[utoipa::path(post, path = "/api/v1/kb-articles", tag = "Staff knowledgebase",
    operation_id = "createKbArticle", security(("bearerAuth" = [])), request_body = KbArticleRequest,
    responses((status = 201, body = StaffKbArticleResponse), (status = 403, body = ApiError),
              (status = 422, body = ApiError)))]
pub async fn create(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    body: aw::Json<KbArticleRequest>,
) -> Result<HttpResponse, AppError> {
    let input = body.into_inner().into();
    let now = state.now();
    let a = state
        .db
        .run(move |db| articles::create(db, &staff.0, input, &meta.0, now))
        .await?;
    Ok(HttpResponse::Created().json(StaffKbArticleResponse {
        success: true,
        data: staff_shown_article(&a),
    }))
}

/// One article, with its Markdown and its rendered body.
#[utoipa::path(get, path = "/api/v1/kb-articles/{article}", tag = "Staff knowledgebase",
    operation_id = "getKbArticle", security(("bearerAuth" = [])),
    params(("article" = i64, Path, description = "Article id")),
    responses((status = 200, body = StaffKbArticleResponse), (status = 404, body = ApiError)))]
pub async fn get(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = id_of(&path)?;
    let a = state
        .db
        .run(move |db| articles::get(db, &staff.0, id))
        .await?;
    Ok(HttpResponse::Ok().json(StaffKbArticleResponse {
        success: true,
        data: staff_shown_article(&a),
    }))
}

/// Change an article (every field).
#[utoipa::path(put, path = "/api/v1/kb-articles/{article}", tag = "Staff knowledgebase",
    operation_id = "updateKbArticle", security(("bearerAuth" = [])),
    params(("article" = i64, Path, description = "Article id")), request_body = KbArticleRequest,
    responses((status = 200, body = StaffKbArticleResponse), (status = 404, body = ApiError),
              (status = 422, body = ApiError)))]
pub async fn update(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
    body: aw::Json<KbArticleRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id_of(&path)?;
    let input = body.into_inner().into();
    let now = state.now();
    let a = state
        .db
        .run(move |db| articles::update(db, &staff.0, id, input, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(StaffKbArticleResponse {
        success: true,
        data: staff_shown_article(&a),
    }))
}

/// Delete an article and its votes.
#[utoipa::path(delete, path = "/api/v1/kb-articles/{article}", tag = "Staff knowledgebase",
    operation_id = "deleteKbArticle", security(("bearerAuth" = [])),
    params(("article" = i64, Path, description = "Article id")),
    responses((status = 200, body = SuccessMessage), (status = 404, body = ApiError)))]
pub async fn delete(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = id_of(&path)?;
    let now = state.now();
    state
        .db
        .run(move |db| articles::delete(db, &staff.0, id, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(SuccessMessage {
        success: true,
        message: "Article deleted".into(),
    }))
}
