//! `GET /healthz`: for load balancers and systemd watchdogs. Healthy means
//! the database answers on both a reader and the writer.

use actix_web::{HttpResponse, web as aw};
use serde_json::json;

use crate::state::AppState;

pub async fn healthz(state: aw::Data<AppState>) -> HttpResponse {
    let check = state.db.run(|db| db.ping()).await;
    match check {
        Ok(_) => HttpResponse::Ok().json(json!({ "status": "ok", "database": "ok" })),
        Err(e) => {
            tracing::error!(error = %e, "health check failed");
            HttpResponse::ServiceUnavailable()
                .json(json!({ "status": "unavailable", "database": "error" }))
        }
    }
}
