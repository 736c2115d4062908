//! The `/api/v1` route table. Each entry takes its method and path from the
//! handler's `#[utoipa::path]` annotation, so the router and the OpenAPI
//! document cannot disagree about where an operation lives; a test checks
//! that the document lists exactly the operations this table registers.

use std::{collections::BTreeMap, sync::Arc};

use actix_web::{
    FromRequest, Handler, Responder,
    http::{Method, header},
    web as aw,
};
use utoipa::openapi::HttpMethod;

use super::{method_not_allowed, openapi, status};

type MakeRoute = Arc<dyn Fn() -> actix_web::Route + Send + Sync>;

/// One API operation: its method, its path, and how to build its route.
#[derive(Clone)]
pub struct ApiRoute {
    pub method: Method,
    pub path: String,
    make: MakeRoute,
}

impl std::fmt::Debug for ApiRoute {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// An operation for the handler documented by `P` (the struct
/// `#[utoipa::path]` generates, named `__path_<handler>`).
pub fn op<P, H, Args>(handler: H) -> ApiRoute
where
    P: utoipa::Path,
    H: Handler<Args> + Clone + Send + Sync + 'static,
    Args: FromRequest + 'static,
    H::Output: Responder + 'static,
{
    let method = match P::methods().first() {
        Some(m) => actix_method(m),
        None => Method::GET,
    };
    let route_method = method.clone();
    ApiRoute {
        method,
        path: P::path(),
        make: Arc::new(move || aw::method(route_method.clone()).to(handler.clone())),
    }
}

fn actix_method(m: &HttpMethod) -> Method {
    match m {
        HttpMethod::Get => Method::GET,
        HttpMethod::Post => Method::POST,
        HttpMethod::Put => Method::PUT,
        HttpMethod::Patch => Method::PATCH,
        HttpMethod::Delete => Method::DELETE,
        HttpMethod::Head => Method::HEAD,
        HttpMethod::Options => Method::OPTIONS,
        HttpMethod::Trace => Method::TRACE,
    }
}

/// Every `/api/v1` operation.
pub fn table() -> Vec<ApiRoute> {
    vec![
        op::<status::__path_status, _, _>(status::status),
        op::<openapi::__path_openapi_json, _, _>(openapi::openapi_json),
    ]
}

/// Register the table: one resource per path, so a known path asked with
/// another method is a 405 that lists the allowed ones.
pub fn register(cfg: &mut aw::ServiceConfig, table: &[ApiRoute]) {
    let mut by_path: BTreeMap<&str, Vec<&ApiRoute>> = BTreeMap::new();
    for route in table {
        by_path.entry(route.path.as_str()).or_default().push(route);
    }
    for (path, routes) in by_path {
        let allow = routes
            .iter()
            .map(|r| r.method.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        let mut resource = aw::resource(path);
        for route in routes {
            resource = resource.route((route.make)());
        }
        resource = resource.default_service(aw::to(move || {
            let allow = allow.clone();
            async move {
                let mut res = match method_not_allowed().await {
                    Ok(res) => res,
                    Err(err) => actix_web::ResponseError::error_response(&err),
                };
                if let Ok(v) = header::HeaderValue::from_str(&allow) {
                    res.headers_mut().insert(header::ALLOW, v);
                }
                res
            }
        }));
        cfg.service(resource);
    }
}
