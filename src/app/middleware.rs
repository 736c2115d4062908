//! Middleware applied to every request: request id and access log,
//! security headers, metrics, maintenance mode, body size, and the
//! rendering of bare framework errors as JSON (API) or HTML (pages).

use actix_web::{
    Error, HttpMessage, ResponseError,
    body::{EitherBody, MessageBody},
    dev::{ServiceRequest, ServiceResponse},
    http::{
        Method, StatusCode,
        header::{self, HeaderValue},
    },
    middleware::{DefaultHeaders, ErrorHandlerResponse, Next},
    web as aw,
};
use actix_web_prom::{PrometheusMetrics, PrometheusMetricsBuilder};
use tracing::Instrument;

use super::request_meta::{RequestId, is_direct_loopback, is_https_of, meta_of};
use crate::{auth::secrets, error::AppError, state::AppState, web::errors::error_page};

/// The Content Security Policy for till's own pages: nothing inline, nothing
/// from elsewhere, never framed.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
    img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
    base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

pub fn security_headers() -> DefaultHeaders {
    // DefaultHeaders only adds a header the response does not already have,
    // so a route can set a different CSP (the API docs page does).
    DefaultHeaders::new()
        .add((header::CONTENT_SECURITY_POLICY, CSP))
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((header::REFERRER_POLICY, "strict-origin-when-cross-origin"))
        .add((
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=()",
        ))
        .add(("Cross-Origin-Opener-Policy", "same-origin"))
}

pub fn metrics() -> Result<PrometheusMetrics, Box<dyn std::error::Error + Send + Sync>> {
    PrometheusMetricsBuilder::new("till")
        .endpoint("/metrics")
        // One label per route pattern, never per raw path: a scan of random
        // URLs must not grow the metrics without bound.
        .mask_unmatched_patterns("UNMATCHED")
        .build()
}

/// HSTS for a year, sent only on a response to a request that came over
/// https (directly or from a trusted TLS-terminating proxy): browsers
/// ignore it over plain http, and sending it for a site that only answers
/// http would lock its users out.
pub const HSTS: &str = "max-age=31536000";

pub async fn https_headers(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let https = req
        .app_data::<aw::Data<AppState>>()
        .is_some_and(|s| is_https_of(req.request(), &s.config.http.trusted_proxies));
    let mut res = next.call(req).await?;
    if https {
        res.headers_mut().insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    Ok(res)
}

/// `/metrics` tells how busy the business is and which routes fail: it
/// answers a scrape made directly on this host's loopback, or anyone with
/// `http.metrics_token` as a bearer token. Others get a 404 (401 asking
/// for the token when one is configured).
pub async fn metrics_guard(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    if req.path() != "/metrics" {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    let token = req
        .app_data::<aw::Data<AppState>>()
        .map(|s| s.config.http.metrics_token.expose().to_string())
        .unwrap_or_default();
    if is_direct_loopback(req.request()) {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    if token.is_empty() {
        return Ok(refuse(req, AppError::RouteNotFound));
    }
    let given = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    // Hashes, compared in constant time: neither the token nor its length
    // leaks through timing.
    if !given.is_empty() && secrets::equal(&secrets::hash(given), &secrets::hash(&token)) {
        return Ok(next.call(req).await?.map_into_left_body());
    }
    let mut refused = refuse(req, AppError::Unauthenticated);
    refused.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer realm=\"metrics\""),
    );
    Ok(refused)
}

/// Give the request an id, log it (method, path, client, status, time) in a
/// span carrying that id, and echo the id in `X-Request-Id`.
pub async fn request_context(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = uuid::Uuid::new_v4().simple().to_string();
    req.extensions_mut().insert(RequestId(id.clone()));
    // Worked out once, here; handlers read it from the extensions.
    let trusted = req
        .app_data::<aw::Data<AppState>>()
        .map(|s| s.config.http.trusted_proxies.clone())
        .unwrap_or_default();
    let meta = meta_of(req.request(), &trusted);
    let client = meta.ip.clone().unwrap_or_default();
    req.extensions_mut().insert(meta);
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %req.method(),
        path = %req.path(),
        client = %client,
    );
    let started = std::time::Instant::now();
    let result = next.call(req).instrument(span.clone()).await;
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    let _entered = span.enter();
    match result {
        Ok(mut res) => {
            if let Ok(value) = HeaderValue::from_str(&id) {
                res.headers_mut()
                    .insert(header::HeaderName::from_static("x-request-id"), value);
            }
            tracing::info!(status = res.status().as_u16(), elapsed_ms, "served");
            Ok(res)
        }
        Err(err) => {
            tracing::error!(error = %err, elapsed_ms, "request failed");
            Err(err)
        }
    }
}

/// Refuse a request whose declared body is over the limit before reading it.
/// A multipart body (a ticket with attachments) may hold as many files of
/// the largest size as a message may carry; its reader checks each file.
pub async fn api_body_rules(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.to_ascii_lowercase().starts_with("multipart/form-data"));
    let limit = req.app_data::<aw::Data<AppState>>().map(|s| {
        let plain = s.config.http.body_limit_kib * 1024;
        if multipart {
            let files =
                usize::try_from(s.config.support.max_attachment_bytes).unwrap_or(usize::MAX);
            plain.saturating_add(files.saturating_mul(s.config.support.max_attachments))
        } else {
            plain
        }
    });
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if let (Some(limit), Some(declared)) = (limit, declared)
        && declared > limit
    {
        return Ok(refuse(req, AppError::PayloadTooLarge));
    }
    Ok(next.call(req).await?.map_into_left_body())
}

/// With `maintenance_mode` on, customers can read but not change anything;
/// the admin area keeps working.
pub async fn maintenance_guard(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let on = req
        .app_data::<aw::Data<AppState>>()
        .is_some_and(|s| s.config.maintenance_mode);
    let safe = matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    if on && !safe && !req.path().starts_with("/admin") {
        return Ok(refuse(req, AppError::Maintenance));
    }
    Ok(next.call(req).await?.map_into_left_body())
}

/// Answer `req` with `err`, as JSON under `/api` and as a page elsewhere.
fn refuse<B>(req: ServiceRequest, err: AppError) -> ServiceResponse<EitherBody<B>> {
    let response = if is_api(req.path()) {
        err.error_response()
    } else {
        error_page(err.status(), &err.public_message())
    };
    req.into_response(response).map_into_right_body()
}

fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// Errors made by the framework rather than by till (no route, wrong
/// method, an extractor's plain-text complaint) get till's envelope: JSON
/// `{"message","code"}` under `/api`, an HTML page elsewhere.
pub fn render_bare_error<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let content_type = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let api = is_api(res.request().path());
    let already_rendered = if api {
        content_type.starts_with("application/json")
    } else {
        content_type.starts_with("text/html")
    };
    if already_rendered {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }

    let status = res.status();
    let detail = res.response().error().map(|e| e.to_string());
    let err = framework_error(status, detail);
    let allow = res.headers().get(header::ALLOW).cloned();
    let (req, _) = res.into_parts();
    let mut response = if api {
        err.error_response()
    } else {
        error_page(err.status(), &err.public_message())
    };
    if let Some(allow) = allow {
        response.headers_mut().insert(header::ALLOW, allow);
    }
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(req, response).map_into_right_body(),
    ))
}

fn framework_error(status: StatusCode, detail: Option<String>) -> AppError {
    match status {
        StatusCode::NOT_FOUND => AppError::RouteNotFound,
        StatusCode::METHOD_NOT_ALLOWED => AppError::MethodNotAllowed,
        StatusCode::PAYLOAD_TOO_LARGE => AppError::PayloadTooLarge,
        StatusCode::UNSUPPORTED_MEDIA_TYPE => AppError::UnsupportedMediaType,
        StatusCode::UNAUTHORIZED => AppError::Unauthenticated,
        StatusCode::FORBIDDEN => AppError::Forbidden,
        s if s.is_client_error() => {
            AppError::BadRequest(detail.unwrap_or_else(|| "Bad request".to_string()))
        }
        _ => AppError::Internal(detail.unwrap_or_else(|| status.to_string())),
    }
}
