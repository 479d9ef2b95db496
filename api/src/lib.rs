//! The ordertrack HTTP API: thin handlers that validate, authorize, write
//! Postgres in one transaction, enqueue and answer.

pub mod audit;
pub mod auth;
pub mod client_ip;
pub mod config;
pub mod cursor;
pub mod demo;
pub mod errors;
pub mod exports;
pub mod idempotency;
pub mod json;
pub mod live;
pub mod locale;
pub mod middleware;
pub mod openapi;
pub mod rate_limit;
pub mod request_id;
pub mod routes;
pub mod security_headers;
pub mod session;
pub mod staff;
pub mod state;
pub mod validate;
pub mod views;
pub mod web_app;

use actix_web::dev::Server;
use actix_web::{web, App, HttpServer};
use ordertrack_shared::cache::listener::listen;
use ordertrack_shared::cache::Caches;
use ordertrack_shared::db;
use ordertrack_shared::jobs::Enqueuer;
use ordertrack_shared::links::Signer;
use ordertrack_shared::templates::Renderer;
use std::net::TcpListener;
use utoipa::OpenApi;
use utoipa_swagger_ui::SwaggerUi;

use std::sync::Arc;

use crate::config::ApiConfig;
use crate::live::hub::Hub;
use crate::rate_limit::RateLimiter;
use crate::state::AppState;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Db(#[from] db::DbSetupError),
    #[error("redis: {0}")]
    Redis(String),
    #[error(transparent)]
    Templates(#[from] ordertrack_shared::templates::TemplateError),
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: String, source: std::io::Error },
}

/// A running server and the port it listens on.
pub struct Running {
    pub port: u16,
    pub server: Server,
    pub handle: ApiHandle,
}

/// Stops a running api: live-update streams first end with a `shutdown`
/// event (their clients reconnect to another replica), then the server
/// finishes in-flight requests.
#[derive(Clone)]
pub struct ApiHandle {
    server: actix_web::dev::ServerHandle,
    hub: Arc<Hub>,
}

impl ApiHandle {
    pub async fn stop(&self) {
        self.hub.shut_down();
        self.server.stop(true).await;
    }
}

pub fn state(config: ApiConfig, hub: Arc<Hub>) -> Result<AppState, StartError> {
    let db = db::pool(&config.store.database_url, config.store.database_pool_size)?;
    let enqueuer =
        Enqueuer::from_store(&config.store, config.enqueue_timeout).map_err(|e| StartError::Redis(e.to_string()))?;
    let renderer = std::sync::Arc::new(Renderer::from_dir(&config.templates_dir)?);
    Ok(AppState {
        rate_limiter: RateLimiter::new(enqueuer.clone(), config.rate_limits_enabled),
        signer: Signer::new(&config.app_secret),
        renderer,
        caches: Arc::new(Caches::new(config.store.cache_ttl)),
        config,
        db,
        enqueuer,
        hub,
    })
}

/// Binds and builds the server; the caller awaits (or spawns) `server`.
pub fn start(config: ApiConfig) -> Result<Running, StartError> {
    let addr = format!("{}:{}", config.host, config.port);
    let listener = TcpListener::bind(&addr).map_err(|source| StartError::Bind { addr: addr.clone(), source })?;
    let port = listener.local_addr().map_err(|source| StartError::Bind { addr, source })?.port();
    let workers = config.workers;
    let hub = Hub::new(config.stream.clone());
    let state = state(config, hub.clone())?;
    tokio::spawn(live::tailer::run(hub.clone(), state.db.clone(), state.enqueuer.clone(), hub.shutdown_signal()));
    tokio::spawn(listen(state.enqueuer.clone(), state.caches.clone(), hub.shutdown_signal()));
    ordertrack_shared::metrics::register_all();
    ordertrack_shared::ops_metrics::spawn(
        state.db.clone(),
        state.enqueuer.clone(),
        state.config.store.ops_metrics_interval,
        hub.shutdown_signal(),
    );
    let openapi = openapi::ApiDoc::openapi();
    let server = HttpServer::new(move || {
        // (Runs on each worker thread.)
        let state = web::Data::new(state.for_worker_thread(workers));
        App::new()
            .app_data(state)
            .app_data(web::QueryConfig::default().error_handler(json::query_error))
            .app_data(web::PathConfig::default().error_handler(json::path_error))
            .wrap(actix_web::middleware::from_fn(middleware::around))
            .configure(routes::configure)
            .service(SwaggerUi::new("/swagger-ui/{_:.*}").url("/api-docs/openapi.json", openapi.clone()))
            .default_service(web::to(web_app::serve))
    })
    .workers(workers)
    // `ApiHandle::stop` (on SIGTERM in `main`) ends the streams first.
    .disable_signals()
    .shutdown_timeout(10)
    .listen(listener)
    .map_err(|source| StartError::Bind { addr: "listener".into(), source })?
    .run();
    let handle = ApiHandle { server: server.handle(), hub };
    Ok(Running { port, server, handle })
}
