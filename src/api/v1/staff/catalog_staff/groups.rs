//! Product groups for staff: create and update.

use actix_web::{HttpResponse, web as aw};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::{
    extract::{ApiStaff, Meta},
    v1::catalog::{GroupView, group_view},
};
use crate::{
    error::{ApiError, AppError},
    service::catalog::{self, GroupInput},
    state::AppState,
};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupRequest {
    pub name: String,
    pub slug: Option<String>,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub sort_order: i64,
    /// Listed in the store (default true).
    pub visible: Option<bool>,
}

impl From<GroupRequest> for GroupInput {
    fn from(r: GroupRequest) -> Self {
        GroupInput {
            name: r.name,
            slug: r.slug,
            description: r.description,
            sort_order: r.sort_order,
            visible: r.visible.unwrap_or(true),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StaffGroupResponse {
    pub success: bool,
    pub data: GroupView,
}

/// Create a product group (needs `catalog:write`).
#[utoipa::path(post, path = "/api/v1/product-groups", tag = "Staff catalog", operation_id = "staffCreateGroup",
    security(("bearerAuth" = [])), request_body = GroupRequest,
    responses((status = 201, body = StaffGroupResponse), (status = 403, body = ApiError), (status = 422, body = ApiError)))]
pub async fn create_group(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    body: aw::Json<GroupRequest>,
) -> Result<HttpResponse, AppError> {
    let input = GroupInput::from(body.into_inner());
    let now = state.now();
    let g = state
        .db
        .run(move |db| catalog::create_group(db, &staff.0, input, &meta.0, now))
        .await?;
    Ok(HttpResponse::Created().json(StaffGroupResponse {
        success: true,
        data: group_view(&g, None),
    }))
}

/// Change a product group (needs `catalog:write`).
#[utoipa::path(put, path = "/api/v1/product-groups/{group}", tag = "Staff catalog", operation_id = "staffUpdateGroup",
    security(("bearerAuth" = [])), params(("group" = String, Path, description = "Group id, uuid or slug")),
    request_body = GroupRequest,
    responses((status = 200, body = StaffGroupResponse), (status = 404, body = ApiError), (status = 422, body = ApiError)))]
pub async fn update_group(
    state: aw::Data<AppState>,
    staff: ApiStaff,
    meta: Meta,
    path: aw::Path<String>,
    body: aw::Json<GroupRequest>,
) -> Result<HttpResponse, AppError> {
    let ident = path.into_inner();
    let input = GroupInput::from(body.into_inner());
    let now = state.now();
    let g = state
        .db
        .run(move |db| catalog::update_group(db, &staff.0, &ident, input, &meta.0, now))
        .await?;
    Ok(HttpResponse::Ok().json(StaffGroupResponse {
        success: true,
        data: group_view(&g, None),
    }))
}
