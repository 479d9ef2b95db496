use actix_web::{get, web, HttpResponse};
use diesel_async::RunQueryDsl;
use serde_json::json;

use crate::openapi::responses::Malformed;
use crate::state::AppState;

/// The process is up.
#[utoipa::path(get, path = "/healthz", tag = "ops", responses(Malformed, (status = 200, description = "Alive")))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(json!({"status": "ok"}))
}

/// Postgres and Redis answer.
#[utoipa::path(
    get, path = "/readyz", tag = "ops",
    responses(Malformed, (status = 200, description = "Ready"), (status = 503, description = "A dependency is down"))
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let postgres = async {
        let mut conn = state.db.get().await.ok()?;
        diesel::sql_query("SELECT 1").execute(&mut conn).await.ok()
    };
    // Unready within a second of an outage, whatever the pool's own wait.
    let postgres = tokio::time::timeout(std::time::Duration::from_secs(1), postgres).await.ok().flatten().is_some();
    let redis = state.enqueuer.ping().await;
    let body = json!({
        "postgres": if postgres { "ok" } else { "down" },
        "redis": if redis { "ok" } else { "down" },
    });
    if postgres && redis {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::ServiceUnavailable().json(body)
    }
}

/// Prometheus metrics in text format.
#[utoipa::path(get, path = "/metrics", tag = "ops", responses(Malformed, (status = 200, description = "Metrics")))]
#[get("/metrics")]
pub async fn metrics() -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain; version=0.0.4").body(ordertrack_shared::metrics::render())
}
