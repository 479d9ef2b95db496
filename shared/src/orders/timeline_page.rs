//! One page of an order's timeline, however long its history: every
//! source's entries are kept in `order_timeline` (by triggers, in the
//! source's own transaction), so a page is one keyset seek and a limit on
//! one index, in one statement with the order (`timeline_page.sql`), and
//! costs the same on the first page of a short order and the last of a
//! 10,000-event one.
//!
//! Entries are ordered by (when, source, id): the source rank keeps the
//! order in which simultaneous entries have always been listed.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Nullable, SmallInt, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::timeline::TimelineEntry;
use crate::domain::Locale;
use crate::models::{CustomerRequest, MessageFact, Shipment, ShipmentIssue, StatusChange, TrackingEvent};
use crate::prepared_sql::PreparedSql;

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
            HISTORY | SCAN | MESSAGE => RowId::Serial(id.parse().ok()?),
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

/// The statement reading one page (`timeline_page.sql`), by whether staff
/// read it and then by direction: oldest first, newest first.
/// (Leaked once each, so that they are prepared once per connection.)
static PAGE_SQL: std::sync::LazyLock<[[&'static str; 2]; 2]> = std::sync::LazyLock::new(|| {
    let template = include_str!("timeline_page.sql");
    let fill = |shown, cmp, dir, edge| -> &'static str {
        let sql = template.replace("{shown}", shown).replace("{cmp}", cmp).replace("{dir}", dir);
        sql.replace("{edge}", edge).leak()
    };
    let both = |shown| [fill(shown, ">", "ASC", "-infinity"), fill(shown, "<", "DESC", "infinity")];
    [both("t.source <> 6"), both("true")]
});

impl PageRequest {
    /// Where this page starts: the cursor's (when, source, serial id, UUID
    /// id), the id a source does not have being zero; no time: from the
    /// first (last) entry.
    fn seek(&self) -> (Option<DateTime<Utc>>, i16, i64, Uuid) {
        let Some(c) = self.after else { return (None, 0, 0, Uuid::nil()) };
        let (serial, uuid) = match c.id {
            RowId::Serial(id) => (id, Uuid::nil()),
            RowId::Uuid(id) => (0, id),
        };
        (Some(c.at), i16::from(c.source), serial, uuid)
    }

    /// Rows to read: one more than a page shows, to know whether there is
    /// a next page.
    fn fetch(&self) -> i64 {
        i64::try_from(self.limit).unwrap_or(i64::MAX - 1) + 1
    }
}

/// The one statement that reads a page of `order_id`'s timeline with its
/// binds; `staff` adds what became of its messages.
pub fn page_query(order_id: Uuid, page: &PageRequest, staff: bool) -> PreparedSql {
    let sql = PAGE_SQL[usize::from(staff)][usize::from(page.newest_first)];
    let (at, source, serial, uuid) = page.seek();
    PreparedSql::new(sql)
        .bind::<SqlUuid, _>(order_id)
        .bind::<Nullable<Timestamptz>, _>(at)
        .bind::<SmallInt, _>(source)
        .bind::<BigInt, _>(serial)
        .bind::<SqlUuid, _>(uuid)
        .bind::<BigInt, _>(page.fetch())
}

/// What the timeline needs to know of the order itself.
#[derive(Debug, Clone)]
pub struct OrderHead {
    /// `None` for a guest's order.
    pub customer_id: Option<Uuid>,
    pub locale: Locale,
    pub ship_country: String,
}

#[derive(QueryableByName)]
struct PageRow {
    #[diesel(sql_type = Nullable<SqlUuid>)]
    customer_id: Option<Uuid>,
    #[diesel(sql_type = Text)]
    locale: Locale,
    #[diesel(sql_type = Text)]
    ship_country: String,
    #[diesel(sql_type = Nullable<SmallInt>)]
    source: Option<i16>,
    #[diesel(sql_type = Nullable<Text>)]
    entry: Option<String>,
}

fn row<T: serde::de::DeserializeOwned>(json: &str) -> QueryResult<T> {
    serde_json::from_str(json).map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))
}

/// A timeline row's entry, from its source's row as JSON, and where it sorts.
fn keyed_entry(source: i16, json: &str) -> QueryResult<(TimelineCursor, TimelineEntry)> {
    let key = |at, source, id| TimelineCursor { at, source, id };
    Ok(match u8::try_from(source).unwrap_or(u8::MAX) {
        HISTORY => {
            let h: StatusChange = row(json)?;
            (key(h.occurred_at, HISTORY, RowId::Serial(h.id)), TimelineEntry::status_change(&h))
        }
        SHIPMENT => {
            let s: Shipment = row(json)?;
            (key(s.created_at, SHIPMENT, RowId::Uuid(s.id)), TimelineEntry::shipment_added(&s))
        }
        SCAN => {
            let e: TrackingEvent = row(json)?;
            (key(e.occurred_at, SCAN, RowId::Serial(e.id)), TimelineEntry::carrier_event(&e))
        }
        ISSUE => {
            let i: ShipmentIssue = row(json)?;
            (key(i.detected_at, ISSUE, RowId::Uuid(i.id)), TimelineEntry::issue(&i))
        }
        REQUEST => {
            let r: CustomerRequest = row(json)?;
            (key(r.created_at, REQUEST, RowId::Uuid(r.id)), TimelineEntry::customer_request(&r))
        }
        RESOLUTION => {
            let r: CustomerRequest = row(json)?;
            let resolved = TimelineEntry::request_resolved(&r, r.resolved_by.as_deref().unwrap_or_default());
            (key(r.updated_at, RESOLUTION, RowId::Uuid(r.id)), resolved)
        }
        MESSAGE => {
            let m: MessageFact = row(json)?;
            (key(m.event.occurred_at, MESSAGE, RowId::Serial(m.event.id)), TimelineEntry::message_event(&m))
        }
        other => {
            let error = format!("order_timeline row of unknown source {other}");
            return Err(diesel::result::Error::DeserializationError(error.into()));
        }
    })
}

/// One page's entries as read, before they are written for a reader.
pub struct PageEntries {
    /// In page order; one more than the page shows when there is a next page.
    keyed: Vec<(TimelineCursor, TimelineEntry)>,
}

impl PageEntries {
    /// The order and one page of its timeline, in one round trip and one
    /// statement; `None` when there is no such order. `staff` adds what
    /// became of its messages.
    pub async fn load(
        mut conn: &AsyncPgConnection,
        order_id: Uuid,
        page: &PageRequest,
        staff: bool,
    ) -> QueryResult<Option<(OrderHead, PageEntries)>> {
        let rows = page_query(order_id, page, staff).load::<PageRow>(&mut conn).await?;
        let Some(first) = rows.as_slice().first() else { return Ok(None) };
        let head = OrderHead {
            customer_id: first.customer_id,
            locale: first.locale,
            ship_country: first.ship_country.clone(),
        };
        let mut keyed = rows
            .iter()
            .filter_map(|r| Some(keyed_entry(r.source?, r.entry.as_deref()?)))
            .collect::<QueryResult<Vec<_>>>()?;
        // The statement reads them in order; a nested loop is not a promise.
        keyed.sort_by_key(|(k, _)| *k);
        if page.newest_first {
            keyed.reverse();
        }
        Ok(Some((head, PageEntries { keyed })))
    }

    /// Whether the page writes a date in the shopper's time zone (most do
    /// not: the zone, a second read, is then not needed).
    pub fn writes_dates(&self, page: &PageRequest) -> bool {
        self.keyed.iter().take(page.limit).any(|(_, entry)| entry.writes_a_date())
    }

    /// The page, written in `locale` with dates in `zone`; without
    /// `show_internal`, without who did what and their notes.
    pub fn page(self, page: &PageRequest, show_internal: bool, locale: Locale, zone: Tz) -> TimelinePage {
        let mut keyed = self.keyed;
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
            // A staff page may end on what became of a message.
            TimelineCursor { at: at(1_700_000_002), source: MESSAGE, id: RowId::Serial(9) },
        ] {
            assert_eq!(TimelineCursor::decode(&c.encode()), Some(c));
        }
        for bad in ["", "1.0", "x.0.1", "1.9.1", "1.0.abc", "1.3.42", "1.0.1.2"] {
            assert_eq!(TimelineCursor::decode(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_page_starts_right_after_its_cursor_in_the_index_order() {
        let scan = TimelineCursor { at: at(10), source: SCAN, id: RowId::Serial(5) };
        let page = PageRequest { newest_first: false, limit: 10, after: Some(scan) };
        assert_eq!(page.seek(), (Some(at(10)), 2, 5, Uuid::nil()));
        let issue = TimelineCursor { at: at(11), source: ISSUE, id: RowId::Uuid(Uuid::from_u128(7)) };
        let page = PageRequest { newest_first: true, limit: 10, after: Some(issue) };
        assert_eq!(page.seek(), (Some(at(11)), 3, 0, Uuid::from_u128(7)));
        let first = PageRequest { newest_first: true, limit: 10, after: None };
        assert_eq!(first.seek(), (None, 0, 0, Uuid::nil()));
        assert_eq!(first.fetch(), 11, "one more than a page, to know whether there is a next");
    }

    #[test]
    fn cursors_sort_as_the_index_does() {
        // (when, source, id): a status change before a scan at the same time,
        // an earlier time before either.
        let change = TimelineCursor { at: at(10), source: HISTORY, id: RowId::Serial(99) };
        let scan = TimelineCursor { at: at(10), source: SCAN, id: RowId::Serial(5) };
        let earlier = TimelineCursor { at: at(9), source: MESSAGE, id: RowId::Serial(1) };
        let mut keys = vec![scan, change, earlier];
        keys.sort();
        assert_eq!(keys, [earlier, change, scan]);
    }

    #[test]
    fn a_row_of_an_unknown_source_is_an_error_not_a_gap() {
        assert!(keyed_entry(9, "{}").is_err());
        assert!(keyed_entry(HISTORY.into(), "{\"id\": \"not a number\"}").is_err());
    }
}
