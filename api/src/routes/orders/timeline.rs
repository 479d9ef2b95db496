use actix_web::{get, web, HttpRequest, HttpResponse};
use ordertrack_shared::i18n::Tz;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::{Permission, Principal};
use crate::errors::{ApiError, ErrorBody};
use crate::locale;
use crate::openapi::responses::Bearer;
use crate::state::AppState;
use crate::views::TimelineEntry;
use ordertrack_shared::orders::timeline_page::{PageEntries, PageRequest, TimelineCursor, DEFAULT_PAGE, MAX_PAGE};

#[derive(Debug, Clone, Copy, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TimelineOrder {
    #[default]
    Oldest,
    Newest,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct TimelineQuery {
    /// `oldest` (default) or `newest` first.
    pub order: Option<TimelineOrder>,
    /// The language of the titles: en, es, ro or ru. Wins over
    /// `Accept-Language`; without either, the order's language.
    pub locale: Option<String>,
    /// Entries per page: 1 to 500, 100 unless given.
    pub limit: Option<usize>,
    /// Where to go on from: the `cursor` of the previous page's `Link: rel="next"`.
    pub cursor: Option<String>,
}

impl TimelineQuery {
    fn page(&self) -> Result<PageRequest, ApiError> {
        let limit = self.limit.unwrap_or(DEFAULT_PAGE);
        if !(1..=MAX_PAGE).contains(&limit) {
            return Err(ApiError::invalid("limit", format!("limit must be between 1 and {MAX_PAGE}")));
        }
        let after = match self.cursor.as_deref() {
            None => None,
            Some(text) => Some(
                TimelineCursor::decode(text)
                    .ok_or_else(|| ApiError::invalid("cursor", "cursor is not one this endpoint gave out"))?,
            ),
        };
        let newest_first = matches!(self.order.unwrap_or_default(), TimelineOrder::Newest);
        Ok(PageRequest { newest_first, limit, after })
    }

    /// This query with `cursor` replaced: the next page's address.
    fn next_link(&self, req: &HttpRequest, cursor: &TimelineCursor) -> String {
        let mut url = format!("{}?cursor={}", req.path(), cursor.encode());
        if matches!(self.order, Some(TimelineOrder::Newest)) {
            url.push_str("&order=newest");
        }
        if let Some(limit) = self.limit {
            url.push_str(&format!("&limit={limit}"));
        }
        // Checked by `locale::requested` before: one of our four codes.
        if let Some(locale) = &self.locale {
            url.push_str(&format!("&locale={locale}"));
        }
        format!("<{url}>; rel=\"next\"")
    }
}

/// Every status change and shipment event of an order, by when it happened,
/// a page at a time: when there is more, `Link: <…>; rel="next"` gives the
/// next page's address. Staff also see who made each change and their note.
/// Titles are in the language asked for, dates in them in the shopper's time
/// zone.
#[utoipa::path(
    get, path = "/api/v1/orders/{id}/timeline", tag = "orders",
    params(("id" = Uuid, Path, description = "Order id"), TimelineQuery, ("Accept-Language" = Option<String>, Header, description = "Preferred languages; the best supported one (en, es, ro, ru) writes the texts unless `locale` is given")),
    responses(
        Bearer,
        (status = 200, description = "A page of the timeline", body = Vec<TimelineEntry>,
            headers(("Link" = String, description = "`<…>; rel=\"next\"` when there is a next page"))),
        (status = 404, description = "No such order, or not yours", body = ErrorBody),
        (status = 422, description = "A `locale` we do not write, a `limit` out of range or a `cursor` we did not give out", body = ErrorBody),
    ),
    security(("bearer" = []))
)]
#[get("/timeline")]
pub async fn get_order_timeline(
    state: web::Data<AppState>,
    principal: Principal,
    req: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<TimelineQuery>,
) -> Result<HttpResponse, ApiError> {
    principal.require(Permission::ReadOrder)?;
    let requested = locale::requested(&req, query.locale.as_deref())?;
    let page = query.page()?;
    let mut conn = state.conn().await?;
    let staff = principal.role.sees_all_orders();
    // One statement: the order and the page's entries (those of an order
    // the caller may not see are read and dropped).
    let (order, entries) = match PageEntries::load(&conn, *id, &page, staff).await? {
        Some((order, entries)) if principal.can_see(order.customer_id) => (order, entries),
        _ => return Err(ApiError::NotFound("order")),
    };
    // The zone is read (a preference) only for a page that writes a date in it.
    let zone = if entries.writes_dates(&page) {
        locale::shopper_zone(&mut conn, order.customer_id, &order.ship_country).await?
    } else {
        Tz::UTC
    };
    let page = entries.page(&page, staff, requested.unwrap_or(order.locale), zone);
    let mut res = HttpResponse::Ok();
    if let Some(next) = &page.next {
        res.insert_header((actix_web::http::header::LINK, query.next_link(&req, next)));
    }
    Ok(res.json(page.entries))
}
