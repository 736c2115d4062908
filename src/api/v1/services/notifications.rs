//! The user's portal notifications: all, the new ones, and acknowledging one.

use actix_web::{HttpResponse, web as aw};
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::extract::ApiPrincipal;
use crate::{
    error::{ApiError, AppError},
    service::notifications,
    state::AppState,
    store::notifications::Notification,
};

/// Reference 001 notification.
#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationView {
    pub id: i64,
    pub client_id: i64,
    #[serde(rename = "type")]
    pub kind: String,
    pub subject: String,
    pub message: String,
    pub link: String,
    pub date: String,
    pub acked: bool,
}

fn notification_view(n: &Notification) -> NotificationView {
    NotificationView {
        id: n.id,
        client_id: n.client_id,
        kind: n.kind.clone(),
        subject: n.title.clone(),
        message: n.body.clone(),
        link: n.link.clone(),
        date: n.created_at.clone(),
        acked: n.acked,
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationList {
    pub notifications: Vec<NotificationView>,
}

/// The user's portal notifications, newest first (at most 100).
#[utoipa::path(get, path = "/api/v1/notifications", tag = "Account", operation_id = "listNotifications",
    security(("bearerAuth" = [])), responses((status = 200, body = NotificationList), (status = 401, body = ApiError)))]
pub async fn notifications_all(
    state: aw::Data<AppState>,
    who: ApiPrincipal,
) -> Result<HttpResponse, AppError> {
    let rows = state
        .db
        .run(move |db| notifications::list(db, &who.0, false))
        .await?;
    Ok(HttpResponse::Ok().json(NotificationList {
        notifications: rows.iter().map(notification_view).collect(),
    }))
}

/// The notifications this user has not acknowledged.
#[utoipa::path(get, path = "/api/v1/notifications/new", tag = "Account", operation_id = "newNotifications",
    security(("bearerAuth" = [])), responses((status = 200, body = NotificationList), (status = 401, body = ApiError)))]
pub async fn notifications_new(
    state: aw::Data<AppState>,
    who: ApiPrincipal,
) -> Result<HttpResponse, AppError> {
    let rows = state
        .db
        .run(move |db| notifications::list(db, &who.0, true))
        .await?;
    Ok(HttpResponse::Ok().json(NotificationList {
        notifications: rows.iter().map(notification_view).collect(),
    }))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AckResponse {
    pub success: bool,
}

/// Acknowledge a notification (for this user).
#[utoipa::path(put, path = "/api/v1/notifications/{id}/ack", tag = "Account", operation_id = "ackNotification",
    security(("bearerAuth" = [])), params(("id" = i64, Path, description = "Notification id")),
    responses((status = 200, body = AckResponse), (status = 404, body = ApiError)))]
pub async fn notification_ack(
    state: aw::Data<AppState>,
    who: ApiPrincipal,
    path: aw::Path<String>,
) -> Result<HttpResponse, AppError> {
    let id: i64 = path.parse().map_err(|_| AppError::NotFound)?;
    let now = state.now();
    state
        .db
        .run(move |db| notifications::ack(db, &who.0, id, now))
        .await?;
    Ok(HttpResponse::Ok().json(AckResponse { success: true }))
}
