//! One page of an order's timeline, however long its history: the sources
//! that grow without bound (status history, carrier scans) are read with a
//! keyset seek and a limit on their indexes, the bounded ones (parcels,
//! issues, requests: a handful per order) whole, and the page is merged
//! from them. The n first entries after a cursor are among the n first of
//! every source, so reading n + 1 of each is enough, and a page costs the
//! same on the first page of a short order and the last of a 10,000-event
//! one.
//!
//! Entries are ordered by (when, source, id): the source rank keeps the
//! order in which `TimelineSources::timeline` lists simultaneous entries.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::timeline::{TimelineEntry, TimelineSources};
use crate::domain::Channel;
use crate::domain::Locale;
use crate::models::{CustomerRequest, MessageEvent, MessageFact, Shipment, ShipmentIssue, StatusChange, TrackingEvent};
use crate::schema::{notification_events, notifications, order_status_history, tracking_events};

/// Entries a page holds unless asked for fewer, and at most.
pub const DEFAULT_PAGE: usize = 100;
pub const MAX_PAGE: usize = 500;

const HISTORY: u8 = 0;
const SHIPMENT: u8 = 1;
const SCAN: u8 = 2;
const ISSUE: u8 = 3;
const REQUEST: u8 = 4;
const RESOLUTION: u8 = 5;
const MESSAGE: u8 = 6;

/// A row's id within its source: the big sources have bigserial ids, the
/// others UUIDs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum RowId {
    Serial(i64),
    Uuid(Uuid),
}

/// Where an entry sorts, and what a cursor points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimelineCursor {
    at: DateTime<Utc>,
    source: u8,
    id: RowId,
}

impl TimelineCursor {
    /// `{microseconds}.{source}.{id}`: opaque to clients.
    pub fn encode(&self) -> String {
        let id = match self.id {
            RowId::Serial(id) => id.to_string(),
            RowId::Uuid(id) => id.simple().to_string(),
        };
        format!("{}.{}.{id}", self.at.timestamp_micros(), self.source)
    }

    pub fn decode(text: &str) -> Option<TimelineCursor> {
        let mut parts = text.splitn(3, '.');
        let at = DateTime::from_timestamp_micros(parts.next()?.parse().ok()?)?;
        let source: u8 = parts.next()?.parse().ok()?;
        let id = parts.next()?;
        let id = match source {
            HISTORY | SCAN => RowId::Serial(id.parse().ok()?),
            SHIPMENT | ISSUE | REQUEST | RESOLUTION => RowId::Uuid(Uuid::try_parse(id).ok()?),
            _ => return None,
        };
        Some(TimelineCursor { at, source, id })
    }
}

/// Which page: its direction, size and where the previous one ended.
#[derive(Debug, Clone, Copy)]
pub struct PageRequest {
    pub newest_first: bool,
    pub limit: usize,
    pub after: Option<TimelineCursor>,
}

pub struct TimelinePage {
    pub entries: Vec<TimelineEntry>,
    /// Where the next page starts; `None` on the last page.
    pub next: Option<TimelineCursor>,
}

type StatusChangeColumns = diesel::dsl::AsSelect<StatusChange, Pg>;
type TrackingEventColumns = diesel::dsl::AsSelect<TrackingEvent, Pg>;

/// How a source of rank `source` is cut at the cursor, in SQL terms.
enum Seek<K> {
    Start,
    /// Rows at the cursor's time come after it: `at >= t` (or `<=`).
    Inclusive(DateTime<Utc>),
    /// They come before it: `at > t` (or `<`).
    Exclusive(DateTime<Utc>),
    /// The cursor's own source: `(at, id) > (t, k)` (or `<`).
    Key(DateTime<Utc>, K),
}

impl PageRequest {
    fn seek(&self, source: u8) -> Seek<i64> {
        let Some(c) = self.after else { return Seek::Start };
        match (source.cmp(&c.source), self.newest_first) {
            (std::cmp::Ordering::Equal, _) => match c.id {
                RowId::Serial(id) => Seek::Key(c.at, id),
                RowId::Uuid(_) => Seek::Exclusive(c.at),
            },
            (std::cmp::Ordering::Greater, false) | (std::cmp::Ordering::Less, true) => Seek::Inclusive(c.at),
            _ => Seek::Exclusive(c.at),
        }
    }

    /// Rows to read of each unbounded source: one more than a page shows,
    /// to know whether there is a next page.
    fn fetch(&self) -> i64 {
        i64::try_from(self.limit).unwrap_or(i64::MAX - 1) + 1
    }

    /// Whether an entry at `key` belongs on this page's side of the cursor.
    fn keeps(&self, key: &TimelineCursor) -> bool {
        match self.after {
            None => true,
            Some(c) if self.newest_first => *key < c,
            Some(c) => *key > c,
        }
    }
}

/// Applies a `Seek`, the order and the limit to a boxed query on a table
/// with `(…, at, id)` index columns.
macro_rules! seek_page {
    ($query:expr, $at:expr, $id:expr, $seek:expr, $newest_first:expr, $limit:expr) => {{
        let mut q = $query.limit($limit);
        q = match ($seek, $newest_first) {
            (Seek::Start, _) => q,
            (Seek::Inclusive(t), false) => q.filter($at.ge(t)),
            (Seek::Exclusive(t), false) => q.filter($at.gt(t)),
            // `at >= t` bounds the index range; the OR settles the tie.
            (Seek::Key(t, k), false) => q.filter($at.ge(t)).filter($at.gt(t).or($id.gt(k))),
            (Seek::Inclusive(t), true) => q.filter($at.le(t)),
            (Seek::Exclusive(t), true) => q.filter($at.lt(t)),
            (Seek::Key(t, k), true) => q.filter($at.le(t)).filter($at.lt(t).or($id.lt(k))),
        };
        if $newest_first {
            q.order(($at.desc(), $id.desc()))
        } else {
            q.order(($at.asc(), $id.asc()))
        }
    }};
}

/// A page's worth of an order's status changes (its seek on
/// `order_status_history (order_id, occurred_at, id)`).
pub fn history_page(
    order_id: Uuid,
    page: &PageRequest,
) -> order_status_history::BoxedQuery<'static, Pg, StatusChangeColumns> {
    seek_page!(
        order_status_history::table
            .filter(order_status_history::order_id.eq(order_id))
            .select(StatusChange::as_select())
            .into_boxed(),
        order_status_history::occurred_at,
        order_status_history::id,
        page.seek(HISTORY),
        page.newest_first,
        page.fetch()
    )
}

/// A page's worth of one parcel's scans (its seek on
/// `tracking_events (shipment_id, occurred_at, id)`).
pub fn scans_page(
    shipment_id: Uuid,
    page: &PageRequest,
) -> tracking_events::BoxedQuery<'static, Pg, TrackingEventColumns> {
    seek_page!(
        tracking_events::table
            .filter(tracking_events::shipment_id.eq(shipment_id))
            .select(TrackingEvent::as_select())
            .into_boxed(),
        tracking_events::occurred_at,
        tracking_events::id,
        page.seek(SCAN),
        page.newest_first,
        page.fetch()
    )
}

/// A page's worth of what became of an order's messages, with their
/// channel and recipient (its seek on `notification_events (order_id,
/// occurred_at, id)`; staff only).
async fn messages_page(conn: &AsyncPgConnection, order_id: Uuid, page: &PageRequest) -> QueryResult<Vec<MessageFact>> {
    let query = seek_page!(
        notification_events::table
            .left_join(notifications::table)
            .filter(notification_events::order_id.eq(order_id))
            .select((MessageEvent::as_select(), notifications::channel.nullable(), notifications::recipient.nullable()))
            .into_boxed(),
        notification_events::occurred_at,
        notification_events::id,
        page.seek(MESSAGE),
        page.newest_first,
        page.fetch()
    );
    let rows: Vec<(MessageEvent, Option<Channel>, Option<String>)> = query.load(&mut &*conn).await?;
    Ok(rows.into_iter().map(|(event, channel, recipient)| MessageFact { event, channel, recipient }).collect())
}

impl TimelineSources {
    /// The sources of one page of `order_id`'s timeline; `staff` adds what
    /// became of its messages. Two pipelined round trips: the history page,
    /// parcels, issues, requests (and messages) together, then one seek per
    /// parcel for its scans.
    pub async fn load_page(
        conn: &AsyncPgConnection,
        order_id: Uuid,
        page: &PageRequest,
        staff: bool,
    ) -> QueryResult<TimelineSources> {
        let messages = async {
            match staff {
                true => messages_page(conn, order_id, page).await,
                false => Ok(Vec::new()),
            }
        };
        let (history, shipments, issues, requests, messages) = futures::try_join!(
            history_page(order_id, page).load(&mut &*conn),
            Shipment::for_order(conn, order_id),
            ShipmentIssue::for_order(conn, order_id),
            CustomerRequest::for_order(conn, order_id),
            messages,
        )?;
        let scans = shipments.iter().map(|shipment| scans_page(shipment.id, page).load(&mut &*conn));
        let events = futures::future::try_join_all(scans).await?.into_iter().flatten().collect();
        Ok(TimelineSources { history, shipments, events, issues, requests, messages })
    }

    /// The page `page` asks for, from sources loaded by `load_page`.
    pub fn page(&self, page: &PageRequest, show_internal: bool, locale: Locale, zone: Tz) -> TimelinePage {
        let mut keyed: Vec<(TimelineCursor, TimelineEntry)> = Vec::new();
        let key = |at, source, id| TimelineCursor { at, source, id };
        keyed.extend(
            self.history
                .iter()
                .map(|h| (key(h.occurred_at, HISTORY, RowId::Serial(h.id)), TimelineEntry::status_change(h))),
        );
        keyed.extend(
            self.shipments
                .iter()
                .map(|s| (key(s.created_at, SHIPMENT, RowId::Uuid(s.id)), TimelineEntry::shipment_added(s))),
        );
        keyed.extend(
            self.events
                .iter()
                .map(|e| (key(e.occurred_at, SCAN, RowId::Serial(e.id)), TimelineEntry::carrier_event(e))),
        );
        keyed.extend(
            self.issues.iter().map(|i| (key(i.detected_at, ISSUE, RowId::Uuid(i.id)), TimelineEntry::issue(i))),
        );
        keyed.extend(
            self.requests
                .iter()
                .map(|r| (key(r.created_at, REQUEST, RowId::Uuid(r.id)), TimelineEntry::customer_request(r))),
        );
        keyed.extend(self.requests.iter().filter_map(|r| {
            let resolver = r.resolved_by.as_deref()?;
            Some((key(r.updated_at, RESOLUTION, RowId::Uuid(r.id)), TimelineEntry::request_resolved(r, resolver)))
        }));
        if show_internal {
            keyed.extend(self.messages.iter().map(|m| {
                (key(m.event.occurred_at, MESSAGE, RowId::Serial(m.event.id)), TimelineEntry::message_event(m))
            }));
        }
        keyed.retain(|(k, _)| page.keeps(k));
        keyed.sort_by_key(|(k, _)| *k);
        if page.newest_first {
            keyed.reverse();
        }
        let more = keyed.len() > page.limit;
        keyed.truncate(page.limit);
        let next = more.then(|| keyed.last().map(|(k, _)| *k)).flatten();
        let entries = keyed
            .into_iter()
            .map(|(_, e)| if show_internal { e } else { e.redacted() })
            .map(|e| e.localized(locale, zone))
            .collect();
        TimelinePage { entries, next }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(secs, 123_456_000).unwrap()
    }

    #[test]
    fn cursors_round_trip_and_refuse_anything_else() {
        for c in [
            TimelineCursor { at: at(1_700_000_000), source: HISTORY, id: RowId::Serial(42) },
            TimelineCursor { at: at(1_700_000_001), source: ISSUE, id: RowId::Uuid(Uuid::from_u128(7)) },
        ] {
            assert_eq!(TimelineCursor::decode(&c.encode()), Some(c));
        }
        for bad in ["", "1.0", "x.0.1", "1.9.1", "1.0.abc", "1.3.42", "1.0.1.2"] {
            assert_eq!(TimelineCursor::decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn each_source_is_cut_at_the_cursor_on_the_right_side_of_a_tie() {
        let c = TimelineCursor { at: at(10), source: SCAN, id: RowId::Serial(5) };
        let oldest = PageRequest { newest_first: false, limit: 10, after: Some(c) };
        assert!(matches!(oldest.seek(HISTORY), Seek::Exclusive(_)), "history at the same time came before");
        assert!(matches!(oldest.seek(SCAN), Seek::Key(_, 5)));
        let newest = PageRequest { newest_first: true, ..oldest };
        assert!(matches!(newest.seek(HISTORY), Seek::Inclusive(_)), "newest first, history at that time comes after");
        // A status change at the cursor's time sorts before a scan.
        let change = TimelineCursor { at: c.at, source: HISTORY, id: RowId::Serial(99) };
        assert!(newest.keeps(&change) && !oldest.keeps(&change));
        let next_scan = TimelineCursor { id: RowId::Serial(6), ..c };
        assert!(oldest.keeps(&next_scan) && !newest.keeps(&next_scan));
        assert!(!oldest.keeps(&c) && !newest.keeps(&c), "the cursor's own entry was on the last page");
    }
}
