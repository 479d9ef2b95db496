//! The ceiling of `bench/reads`: the least an actix-web service on this stack
//! can do per order read, one `SELECT` by primary key through the same pools
//! (diesel-async + deadpool, `ordertrack_shared::db::pool`, one per HTTP
//! worker thread as the api has them) on the same Postgres, answered as JSON,
//! no authentication. ordertrack's reads are
//! measured beside it in the same run and reported as a ratio of its rate.
//!
//!   DATABASE_URL=... PORT=18090 HTTP_WORKERS=2 DATABASE_POOL_SIZE=32 bench_ceiling
#![allow(clippy::unwrap_used, clippy::expect_used)]

use actix_web::{get, web, App, HttpResponse, HttpServer};
use ordertrack_shared::db::{self, DbPool};
use ordertrack_shared::models::Order;
use uuid::Uuid;

fn env(name: &str, default: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| default.to_owned())
}

#[get("/orders/{id}")]
async fn order(pool: web::Data<DbPool>, id: web::Path<Uuid>) -> HttpResponse {
    let Ok(conn) = pool.get().await else { return HttpResponse::ServiceUnavailable().finish() };
    match Order::find(&conn, *id).await {
        Ok(order) => HttpResponse::Ok().json(serde_json::json!({
            "id": order.id,
            "number": order.order_number,
            "status": order.status.as_str(),
            "version": order.version,
            "updated_at": order.updated_at,
        })),
        Err(diesel::result::Error::NotFound) => HttpResponse::NotFound().finish(),
        Err(_) => HttpResponse::InternalServerError().finish(),
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let url = std::env::var("DATABASE_URL").expect("DATABASE_URL");
    let size: usize = env("DATABASE_POOL_SIZE", "32").parse().expect("DATABASE_POOL_SIZE");
    let port: u16 = env("PORT", "18090").parse().expect("PORT");
    let workers: usize = env("HTTP_WORKERS", "2").parse().expect("HTTP_WORKERS");
    HttpServer::new(move || {
        // (Runs on each worker thread: see the api's `AppState::for_worker_thread`.)
        let pool = db::pool(&url, size.div_ceil(workers)).expect("pool");
        App::new().app_data(web::Data::new(pool)).service(order)
    })
    .workers(workers)
    .bind(("127.0.0.1", port))?
    .run()
    .await
}
