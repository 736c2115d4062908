//! `/api/docs`: Swagger UI, embedded in the binary (no CDN), reading
//! `/api/v1/openapi.json`.

use actix_web::{HttpResponse, http::header, middleware::DefaultHeaders, web as aw};
use utoipa_swagger_ui::{Config, SwaggerUi};

/// Swagger UI styles its elements inline, so its pages get a CSP that allows
/// inline styles (never inline scripts).
const DOCS_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

pub fn swagger_ui() -> actix_web::Scope<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    aw::scope("/api/docs")
        .wrap(DefaultHeaders::new().add((header::CONTENT_SECURITY_POLICY, DOCS_CSP)))
        .service(
            SwaggerUi::new("/{_:.*}").config(
                Config::new(["/api/v1/openapi.json"])
                    .try_it_out_enabled(true)
                    .display_request_duration(true),
            ),
        )
}

pub async fn redirect_to_docs() -> HttpResponse {
    HttpResponse::MovedPermanently()
        .insert_header((header::LOCATION, "/api/docs/"))
        .finish()
}
