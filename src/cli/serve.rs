//! `till serve`: the server, until SIGTERM or SIGINT.

use std::net::TcpListener;

use super::{Failure, startup};
use crate::{app, config::Config, integrations::mail::Mailer};

pub fn run(config: Config) -> Result<(), Failure> {
    super::config_check::refuse_unsafe(&config)?;
    startup::init_logging(&config);
    let opened = startup::open_data_dir(&config)?;
    let keys = startup::load_keys(&config, &opened.db, &opened.clock)?;
    let mailer =
        Mailer::from_config(&config.mail, config.outbox_dir()).map_err(Failure::runtime)?;
    let listener = TcpListener::bind(config.bind)
        .map_err(|e| Failure::runtime(format!("cannot listen on {}: {e}", config.bind)))?;
    let addr = listener.local_addr().map_err(Failure::runtime)?;
    tracing::info!(
        version = super::version_line(),
        data_dir = %config.data_dir.display(),
        mail = %mailer.describe(),
        "till listening on http://{addr}"
    );
    let state = crate::state::AppState::with_keys(config, opened.db, opened.clock, mailer, keys);
    let result =
        actix_web::rt::System::new().block_on(app::serve(state, listener, shutdown_signal()));
    drop(opened.lock);
    result.map_err(Failure::runtime)
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM (systemd, docker, kill).
async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => tracing::info!("received SIGINT"),
        _ = term => tracing::info!("received SIGTERM"),
    }
}
