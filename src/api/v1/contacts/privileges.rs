//! The privilege catalog, and reading privileges from a request.

use actix_web::HttpResponse;
use serde::Serialize;
use utoipa::ToSchema;

use crate::api::extract::ApiPrincipal;
use crate::{
    domain::privileges::{self, PrivilegeInfo, Privileges},
    error::{ApiError, AppError},
};

#[derive(Debug, Serialize, ToSchema)]
pub struct PrivilegeCatalog {
    /// Reference 001's shape: every privilege name, by group.
    #[schema(value_type = Object)]
    pub privileges: serde_json::Map<String, serde_json::Value>,
    /// The same, one entry per privilege with its description.
    pub data: Vec<PrivilegeInfo>,
}

/// Every privilege a contact can hold, by group (reference 001).
#[utoipa::path(
    get, path = "/api/v1/contact-privileges", tag = "Contacts", operation_id = "contactPrivileges",
    security(("bearerAuth" = [])),
    responses((status = 200, body = PrivilegeCatalog), (status = 401, body = ApiError))
)]
pub async fn privilege_catalog(_who: ApiPrincipal) -> HttpResponse {
    HttpResponse::Ok().json(PrivilegeCatalog {
        privileges: Privileges::all().grouped(),
        data: privileges::catalog(),
    })
}

pub(super) fn parse_privileges(
    value: Option<serde_json::Value>,
) -> Result<Option<Privileges>, AppError> {
    match value {
        None => Ok(None),
        Some(v) => Privileges::from_grouped(&v).map(Some).map_err(|errors| {
            let mut map = crate::error::FieldErrors::new();
            map.insert("privileges".into(), errors);
            AppError::Validation(map)
        }),
    }
}
