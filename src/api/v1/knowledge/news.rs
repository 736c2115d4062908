//! News for everyone: the published announcements, newest first, and one
//! of them. A scheduled one is a 404 until its time (the app's clock).

use actix_web::{HttpRequest, HttpResponse, web as aw};

use super::{
    reading::id_of,
    views::{NewsList, NewsResponse, news_view},
};
use crate::{
    api::extract::pagination::{PageQuery, paginate},
    error::{ApiError, AppError},
    service::knowledge::news,
    state::AppState,
};

/// The published announcements, newest first.
#[utoipa::path(get, path = "/api/v1/news", tag = "News", operation_id = "listNews", security(()),
    params(PageQuery),
    responses((status = 200, body = NewsList), (status = 422, body = ApiError)))]
pub async fn list(
    req: HttpRequest,
    state: aw::Data<AppState>,
    query: aw::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let page = query.request()?;
    let now = state.now();
    let found = state
        .db
        .run(move |db| news::published(db, now, page))
        .await?;
    let data = found.rows.iter().map(news_view).collect();
    Ok(HttpResponse::Ok().json(paginate(&req, data, page, found.total)))
}

/// One published announcement.
#[utoipa::path(get, path = "/api/v1/news/{id}", tag = "News", operation_id = "getNewsItem", security(()),
    params(("id" = i64, Path, description = "Announcement id")),
    responses((status = 200, body = NewsResponse), (status = 404, body = ApiError)))]
pub async fn get(
    state: aw::Data<AppState>,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = id_of(&path)?;
    let now = state.now();
    let shown = state.db.run(move |db| news::show(db, id, now)).await?;
    Ok(HttpResponse::Ok().json(NewsResponse {
        data: news_view(&shown),
    }))
}
