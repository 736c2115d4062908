//! Staff announcements: `/api/v1/announcements`, the staff side of
//! `/news` (scheduled ones too; `support:read` to read, `support:write`
//! to change).

use actix_web::{HttpRequest, HttpResponse, web as aw};

use super::{
    reading::id_of,
    staff_views::{
        AnnouncementRequest, StaffAnnouncementList, StaffAnnouncementResponse, staff_announcement,
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
    service::knowledge::news,
    state::AppState,
};

/// Every announcement, scheduled ones too, newest first.
#[utoipa::path(get, path = "/api/v1/announcements", tag = "Staff knowledgebase",
    operation_id = "listAnnouncements", security(("bearerAuth" = [])), params(PageQuery),
    responses((status = 200, body = StaffAnnouncementList), (status = 403, body = ApiError)))]
pub async fn list(
    req: HttpRequest,
    state: aw::Data<AppState>,
    staff: ApiStaff,
    query: aw::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    let page = query.request()?;
    let now = state.now();
    let found = state
        .db
        .run(move |db| news::list_all(db, &staff.0, page, now))
        .await?;
    let data = found.rows.iter().map(staff_announcement).collect();
    Ok(HttpResponse::Ok().json(paginate(&req, data, page, found.total)))
}

/// Publish an announcement, now or at `published_at`.
#[utoipa::path(post, path = "/api/v1/announcements", tag = "Staff knowledgebase",
    operation_id = "createAnnouncement", security(("bearerAuth" = [])), request_body = AnnouncementRequest,
    responses((status = 201, body = StaffAnnouncementResponse), (status = 403, body = ApiError),
              (status = 422, body = ApiError)))]
pub async fn create(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    body: aw::Json<AnnouncementRequest>,
) -> Result<HttpResponse, AppError> {
    let input = body.into_inner().into();
    let now = state.now();
    let n = state
        .db
        .run(move |db| news::create(db, &staff.0, input, &meta.0, now))
        .await?;
    Ok(HttpResponse::Created().json(StaffAnnouncementResponse {
        success: true,
        data: staff_announcement(&n),
    }))
}

/// One announcement, scheduled or not.
#[utoipa::path(get, path = "/api/v1/announcements/{announcement}", tag = "Staff knowledgebase",
    operation_id = "getAnnouncement", security(("bearerAuth" = [])),
    params(("announcement" = i64, Path, description = "Announcement id")),
    responses((status = 200, body = StaffAnnouncementResponse), (status = 404, body = ApiError)))]
pub async fn get(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id = id_of(&path)?;
    let now = state.now();
    let n = state
        .db
        .run(move |db| news::get(db, &staff.0, id, now))
        .await?;
    Ok(HttpResponse::Ok().json(StaffAnnouncementResponse {
        success: true,
        data: staff_announcement(&n),
    }))
}

/// Change an announcement; without `published_at` it keeps its date.
#[utoipa::path(put, path = "/api/v1/announcements/{announcement}", tag = "Staff knowledgebase",
    operation_id = "updateAnnouncement", security(("bearerAuth" = [])),
    params(("announcement" = i64, Path, description = "Announcement id")),
    request_body = AnnouncementRequest,
    responses((status = 200, body = StaffAnnouncementResponse), (status = 404, body = ApiError),
              (status = 422, body = ApiError)))]
pub async fn update(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
    body: aw::Json<AnnouncementRequest>,
) -> Result<HttpResponse, AppError> {
    let id = id_of(&path)?;
    let input = body.into_inner().into();
    let now = state.now();
    let n = state
        .db
        .run(move |db| news::update(db, &staff.0, id, input, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(StaffAnnouncementResponse {
        success: true,
        data: staff_announcement(&n),
    }))
}

/// Delete an announcement.
#[utoipa::path(delete, path = "/api/v1/announcements/{announcement}", tag = "Staff knowledgebase",
    operation_id = "deleteAnnouncement", security(("bearerAuth" = [])),
    params(("announcement" = i64, Path, description = "Announcement id")),
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
        .run(move |db| news::delete(db, &staff.0, id, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(SuccessMessage {
        success: true,
        message: "Announcement deleted".into(),
    }))
}
