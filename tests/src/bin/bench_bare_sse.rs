//! The baseline for `bench/live`: a bare actix-web server with one route that
//! answers a never-ending `text/event-stream` (`retry:` first, as the api
//! does, then a `: ping` comment every SSE_HEARTBEAT_MS, default 15 s). No
//! auth, no state, no per-client task: what holding an idle SSE connection
//! costs actix-web itself. Bound and run like the api (std listener, HTTP_WORKERS
//! workers, default 2), on PORT (default 18084).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::convert::Infallible;
use std::net::TcpListener;
use std::time::Duration;

use actix_web::web::{self, Bytes};
use actix_web::{get, App, HttpResponse, HttpServer};
use futures::StreamExt;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

#[get("/api/v1/orders/{id}/events")]
async fn events(heartbeat: web::Data<Duration>) -> HttpResponse {
    let every = **heartbeat;
    let first = futures::stream::once(async { Ok::<_, Infallible>(Bytes::from_static(b"retry: 3000\n\n")) });
    let pings = futures::stream::unfold(
        tokio::time::interval_at(tokio::time::Instant::now() + every, every),
        |mut interval| async move {
            interval.tick().await;
            Some((Ok(Bytes::from_static(b": ping\n\n")), interval))
        },
    );
    HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header(("Cache-Control", "no-store"))
        .streaming(first.chain(pings))
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let port: u16 = env_or("PORT", 18084);
    let workers: usize = env_or("HTTP_WORKERS", 2);
    let heartbeat = web::Data::new(Duration::from_millis(env_or("SSE_HEARTBEAT_MS", 15_000)));
    let listener = TcpListener::bind(("127.0.0.1", port))?;
    HttpServer::new(move || App::new().app_data(heartbeat.clone()).service(events))
        .workers(workers)
        .listen(listener)?
        .run()
        .await
}
