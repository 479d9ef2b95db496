//! `GET /api/v1/admin/exports/{dataset}`: raw rows as CSV, NDJSON or
//! Parquet, streamed a page at a time with back-pressure, so any range is
//! exported in constant memory. Every export is audited.

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{get, web, HttpRequest, HttpResponse};
use chrono::{Duration, Utc};
use serde::Deserialize;
use serde_json::json;
use tokio::sync::mpsc;
use utoipa::IntoParams;

use super::params::instant;
use crate::audit;
use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::exports::datasets::{Cursor, Dataset};
use crate::exports::formats::{Encoder, Format};
use crate::openapi::responses::Bearer;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// `csv` (default), `ndjson` or `parquet`.
    pub format: Option<String>,
    /// Start, inclusive: RFC 3339 or a date (UTC). Default: 7 days before `to`.
    pub from: Option<String>,
    /// End, exclusive. Default: now.
    pub to: Option<String>,
}

/// Pages encoded ahead of the client at most.
const AHEAD: usize = 2;

/// Raw rows of `notifications` (messages and what became of them, no
/// addresses), `orders` (with their timings) or `ratings`, created (rated)
/// in [from, to).
#[utoipa::path(
    get, path = "/api/v1/admin/exports/{dataset}", tag = "analytics",
    params(("dataset" = String, Path, description = "notifications, orders or ratings"), ExportQuery),
    responses(
        Bearer,
        (status = 200, description = "The rows, streamed as a download", content(
            (String = "text/csv"),
            (String = "application/x-ndjson"),
            (Vec<u8> = "application/vnd.apache.parquet"),
        )),
        (status = 404, description = "No such dataset", body = ErrorBody),
        (status = 422, description = "A bad format or range; names the field", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/admin/exports/{dataset}")]
pub async fn export(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    dataset: web::Path<String>,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ReadAnalytics)?;
    let dataset = Dataset::parse(&dataset).ok_or(ApiError::NotFound("dataset"))?;
    let format = match query.format.as_deref() {
        None => Format::Csv,
        Some(text) => {
            Format::parse(text).ok_or_else(|| ApiError::invalid("format", "format is csv, ndjson or parquet"))?
        }
    };
    let to = query.to.as_deref().map(|t| instant("to", t)).transpose()?.unwrap_or_else(Utc::now);
    let from = query.from.as_deref().map(|f| instant("from", f)).transpose()?.unwrap_or(to - Duration::days(7));
    if from >= to {
        return Err(ApiError::invalid("from", "from must be before to"));
    }
    let mut conn = state.conn().await?;
    let mut entry = audit::entry(&principal, &req, "analytics.export", "dataset", dataset.name());
    entry.after = Some(json!({"format": format.extension(), "from": from, "to": to}));
    entry.insert(&conn).await?;
    let mut encoder = Encoder::new(format, dataset.columns()).map_err(ApiError::Internal)?;

    let (tx, rx) = mpsc::channel::<Result<Bytes, std::io::Error>>(AHEAD);
    tokio::spawn(async move {
        let send = |bytes: Vec<u8>| {
            let tx = tx.clone();
            async move { bytes.is_empty() || tx.send(Ok(Bytes::from(bytes))).await.is_ok() }
        };
        if !send(encoder.start()).await {
            return;
        }
        let mut after: Cursor = None;
        loop {
            let page = dataset.page(&mut conn, from, to, after).await.map_err(|e| e.to_string());
            let encoded = page.and_then(|(rows, next)| Ok((encoder.page(&rows)?, next)));
            match encoded {
                Ok((bytes, next)) => {
                    // The client went away: stop reading.
                    if !send(bytes).await {
                        return;
                    }
                    match next {
                        Some(next) => after = Some(next),
                        None => break,
                    }
                }
                Err(error) => {
                    // The status is sent; cutting the stream tells the client it failed.
                    tracing::error!(%error, dataset = dataset.name(), "export failed");
                    let _ = tx.send(Err(std::io::Error::other(error))).await;
                    return;
                }
            }
        }
        match encoder.finish() {
            Ok(bytes) => {
                send(bytes).await;
            }
            Err(error) => {
                let _ = tx.send(Err(std::io::Error::other(error))).await;
            }
        }
    });
    let body = futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|item| (item, rx)) });
    let filename = format!(
        "ordertrack-{}-{}-{}.{}",
        dataset.name(),
        from.format("%Y%m%dT%H%M%SZ"),
        to.format("%Y%m%dT%H%M%SZ"),
        format.extension()
    );
    Ok(HttpResponse::Ok()
        .content_type(format.content_type())
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .streaming(body))
}
