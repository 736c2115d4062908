//! THE route table, and `serve`, which runs the HTTP server and the
//! background jobs until told to stop. The state they share is
//! `crate::state::AppState`.

mod middleware;
pub mod request_meta;

use std::{future::Future, net::TcpListener, sync::Arc};

use actix_web::{
    App, HttpServer,
    middleware::{ErrorHandlers, from_fn},
    web as aw,
};

use crate::{api, jobs, state::AppState, web};

/// The route table. API operations come from `api::routes::table()`, the
/// same table the OpenAPI document is checked against.
fn routes(cfg: &mut aw::ServiceConfig, api_table: &[api::routes::ApiRoute]) {
    api::routes::register(cfg, api_table);
    cfg.route("/api/docs", aw::get().to(api::docs::redirect_to_docs))
        .service(api::docs::swagger_ui())
        .service(aw::scope("/api").default_service(aw::to(api::route_not_found)))
        .route("/healthz", aw::get().to(api::health::healthz))
        .route("/static/{path:.*}", aw::get().to(web::assets::serve));
    web::routes(cfg);
    cfg.default_service(aw::to(web::errors::not_found));
}

/// Serve HTTP on `listener` and run the scheduler until `shutdown`
/// completes; then let in-flight requests finish (up to
/// `http.shutdown_timeout_secs`) and stop the jobs cleanly.
pub async fn serve(
    state: AppState,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + 'static,
) -> std::io::Result<()> {
    let config = state.config.clone();
    let metrics = middleware::metrics().map_err(std::io::Error::other)?;
    let api_table = Arc::new(api::routes::table());
    let api_doc = aw::Data::new(api::openapi::ApiDocument::build());
    let body_limit = config.http.body_limit_kib * 1024;
    let data = aw::Data::new(state.clone());

    let mut server = HttpServer::new(move || {
        let api_table = api_table.clone();
        App::new()
            .app_data(data.clone())
            .app_data(api_doc.clone())
            .app_data(api::json_config(body_limit))
            .app_data(api::query_config())
            .app_data(aw::PayloadConfig::new(body_limit))
            .app_data(aw::FormConfig::default().limit(body_limit))
            .wrap(ErrorHandlers::new().default_handler(middleware::render_bare_error))
            .wrap(from_fn(middleware::api_body_rules))
            .wrap(from_fn(middleware::maintenance_guard))
            .wrap(metrics.clone())
            .wrap(from_fn(middleware::metrics_guard))
            .wrap(middleware::security_headers())
            .wrap(from_fn(middleware::https_headers))
            .wrap(from_fn(middleware::request_context))
            .configure(move |cfg| routes(cfg, &api_table))
    })
    .disable_signals()
    .shutdown_timeout(config.http.shutdown_timeout_secs);
    if config.http.workers > 0 {
        server = server.workers(config.http.workers);
    }
    let server = server.listen(listener)?.run();

    let handle = server.handle();
    let (stop_jobs, jobs_stopped) = tokio::sync::watch::channel(false);
    let scheduler = actix_web::rt::spawn(jobs::scheduler(state, jobs_stopped));
    actix_web::rt::spawn(async move {
        shutdown.await;
        tracing::info!("shutting down: finishing in-flight requests");
        handle.stop(true).await;
    });

    server.await?;
    let _ = stop_jobs.send(true);
    if let Err(e) = scheduler.await {
        tracing::error!(error = %e, "scheduler task ended badly");
    }
    tracing::info!("stopped");
    Ok(())
}
