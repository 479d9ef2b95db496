//! `GET /api/v1/admin/analytics/notifications|orders|satisfaction`: series
//! read from the roll-ups (admin and analyst).

use actix_web::{get, web, HttpResponse};
use chrono::{DateTime, Utc};
use ordertrack_shared::analytics::report::{
    self, Interval, NotificationPoint, OrderPoint, SatisfactionPoint, NOTIFICATION_GROUPS, ORDER_GROUPS,
    SATISFACTION_GROUPS,
};
use serde::Serialize;
use utoipa::ToSchema;

use super::params::AnalyticsQuery;
use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::openapi::responses::Bearer;
use crate::state::AppState;

/// What a series covers.
#[derive(Debug, Serialize, ToSchema)]
pub struct SeriesRange {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
    pub interval: Interval,
    pub group_by: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NotificationSeries {
    #[serde(flatten)]
    pub range: SeriesRange,
    pub points: Vec<NotificationPoint>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrderSeries {
    #[serde(flatten)]
    pub range: SeriesRange,
    pub points: Vec<OrderPoint>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SatisfactionSeries {
    #[serde(flatten)]
    pub range: SeriesRange,
    pub points: Vec<SatisfactionPoint>,
}

fn series_range(range: report::Range, group_by: &[String]) -> SeriesRange {
    SeriesRange { from: range.from, to: range.to, interval: range.interval, group_by: group_by.to_vec() }
}

/// Messages over time by `group_by` (channel, event, locale, carrier):
/// queued, sent, failed, delivered, bounced, opened (people; machine opens
/// apart), clicked, unsubscribed, complained, their rates and send latency.
/// Up to an hour behind (the roll-up runs every minute).
#[utoipa::path(
    get, path = "/api/v1/admin/analytics/notifications", tag = "analytics",
    params(AnalyticsQuery),
    responses(
        Bearer,
        (status = 200, description = "The series", body = NotificationSeries),
        (status = 422, description = "A bad range, interval or group_by; names the field", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/admin/analytics/notifications")]
pub async fn notification_series(
    state: web::Data<AppState>,
    principal: Principal,
    query: web::Query<AnalyticsQuery>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ReadAnalytics)?;
    let (range, group_by) = (query.range(Utc::now())?, query.group_by(NOTIFICATION_GROUPS)?);
    let mut conn = state.conn().await?;
    let points = report::notifications(&mut conn, range, &group_by).await?;
    Ok(HttpResponse::Ok().json(NotificationSeries { range: series_range(range, &group_by), points }))
}

/// Orders over time by `group_by` (carrier), from the daily roll-ups:
/// statuses reached, time to ship and to deliver, on-time rate against the
/// first estimate, delays and exceptions, and how early shoppers were warned.
#[utoipa::path(
    get, path = "/api/v1/admin/analytics/orders", tag = "analytics",
    params(AnalyticsQuery),
    responses(
        Bearer,
        (status = 200, description = "The series", body = OrderSeries),
        (status = 422, description = "A bad range, interval or group_by; names the field", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/admin/analytics/orders")]
pub async fn order_series(
    state: web::Data<AppState>,
    principal: Principal,
    query: web::Query<AnalyticsQuery>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ReadAnalytics)?;
    let (range, group_by) = (daily(query.range(Utc::now())?)?, query.group_by(ORDER_GROUPS)?);
    let mut conn = state.conn().await?;
    let points = report::orders(&mut conn, range, &group_by).await?;
    Ok(HttpResponse::Ok().json(OrderSeries { range: series_range(range, &group_by), points }))
}

/// Ratings over time by `group_by` (delayed, warned, carrier, channels):
/// how many, the average and the spread of scores.
#[utoipa::path(
    get, path = "/api/v1/admin/analytics/satisfaction", tag = "analytics",
    params(AnalyticsQuery),
    responses(
        Bearer,
        (status = 200, description = "The series", body = SatisfactionSeries),
        (status = 422, description = "A bad range, interval or group_by; names the field", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/admin/analytics/satisfaction")]
pub async fn satisfaction_series(
    state: web::Data<AppState>,
    principal: Principal,
    query: web::Query<AnalyticsQuery>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ReadAnalytics)?;
    let (range, group_by) = (daily(query.range(Utc::now())?)?, query.group_by(SATISFACTION_GROUPS)?);
    let mut conn = state.conn().await?;
    let points = report::satisfaction(&mut conn, range, &group_by).await?;
    Ok(HttpResponse::Ok().json(SatisfactionSeries { range: series_range(range, &group_by), points }))
}

/// Orders and ratings are rolled up by day.
fn daily(range: report::Range) -> Result<report::Range, ApiError> {
    if range.interval == Interval::Hour {
        return Err(ApiError::invalid("interval", "orders and ratings are rolled up by day: interval is day or week"));
    }
    Ok(range)
}
