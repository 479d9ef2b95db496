//! One page of an order's timeline, however long its history: the sources
//! that grow without bound (status history, carrier scans, message facts)
//! are read with a keyset seek and a limit on their indexes, the bounded
//! ones (parcels, issues, requests: a handful per order) whole, all in one
//! statement (`timeline_page.sql`), and the page is merged from them. The
//! n first entries after a cursor are among the n first of every source,
//! so reading n + 1 of each is enough, and a page costs the same on the
//! first page of a short order and the last of a 10,000-event one.
//!
//! Entries are ordered by (when, source, id): the source rank keeps the
//! order in which `TimelineSources::timeline` lists simultaneous entries.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use super::timeline::{TimelineEntry, TimelineSources};
use crate::domain::Locale;
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

/// The statement reading one page of every source (`timeline_page.sql`),
/// oldest first and newest first.
/// (Leaked once each, so that they are prepared once per connection.)
static PAGE_SQL: std::sync::LazyLock<[&'static str; 2]> = std::sync::LazyLock::new(|| {
    let template = include_str!("timeline_page.sql");
    let fill = |cmp, dir, edge| -> &'static str {
        template.replace("{cmp}", cmp).replace("{dir}", dir).replace("{edge}", edge).leak()
    };
    [fill(">", "ASC", "-infinity"), fill("<", "DESC", "infinity")]
});

impl PageRequest {
    /// Where a source of rank `source` starts on this page, as the row
    /// `(at, id)` that its `(occurred_at, id)` must follow (precede, newest
    /// first); no time: from its first (last) row. Rows of an earlier-ranked
    /// source at the cursor's time come before the cursor, so a later-ranked
    /// one keeps them (`id` past every id) and an earlier one drops them.
    fn seek(&self, source: u8) -> (Option<DateTime<Utc>>, i64) {
        let Some(c) = self.after else { return (None, 0) };
        let (keep_ties, drop_ties) = if self.newest_first { (i64::MAX, i64::MIN) } else { (i64::MIN, i64::MAX) };
        match (source.cmp(&c.source), self.newest_first) {
            (std::cmp::Ordering::Equal, _) => match c.id {
                RowId::Serial(id) => (Some(c.at), id),
                // (Only bounded sources have UUIDs; they are filtered in memory.)
                RowId::Uuid(_) => (Some(c.at), drop_ties),
            },
            (std::cmp::Ordering::Greater, false) | (std::cmp::Ordering::Less, true) => (Some(c.at), keep_ties),
            _ => (Some(c.at), drop_ties),
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

/// The one statement that reads a page of `order_id`'s timeline with its
/// binds; `staff` adds what became of its messages.
pub fn page_query(order_id: Uuid, page: &PageRequest, staff: bool) -> PreparedSql {
    let sql = PAGE_SQL[usize::from(page.newest_first)];
    let (history_at, history_id) = page.seek(HISTORY);
    let (scans_at, scans_id) = page.seek(SCAN);
    let (messages_at, messages_id) = page.seek(MESSAGE);
    PreparedSql::new(sql)
        .bind::<SqlUuid, _>(order_id)
        .bind::<Nullable<Timestamptz>, _>(history_at)
        .bind::<BigInt, _>(history_id)
        .bind::<Nullable<Timestamptz>, _>(scans_at)
        .bind::<BigInt, _>(scans_id)
        .bind::<Nullable<Timestamptz>, _>(messages_at)
        .bind::<BigInt, _>(messages_id)
        .bind::<BigInt, _>(page.fetch())
        .bind::<Bool, _>(staff)
}

/// What the timeline needs to know of the order itself.
#[derive(Debug, Clone)]
pub struct OrderHead {
    /// `None` for a guest's order.
    pub customer_id: Option<Uuid>,
    pub locale: Locale,
    pub ship_country: String,
    /// The shopper's own time zone, if they chose one.
    pub time_zone: Option<String>,
}

#[derive(QueryableByName)]
struct PageRow {
    #[diesel(sql_type = Nullable<SqlUuid>)]
    customer_id: Option<Uuid>,
    #[diesel(sql_type = Text)]
    locale: Locale,
    #[diesel(sql_type = Text)]
    ship_country: String,
    #[diesel(sql_type = Nullable<Text>)]
    time_zone: Option<String>,
    #[diesel(sql_type = Text)]
    history: String,
    #[diesel(sql_type = Text)]
    shipments: String,
    #[diesel(sql_type = Text)]
    scans: String,
    #[diesel(sql_type = Text)]
    issues: String,
    #[diesel(sql_type = Text)]
    requests: String,
    #[diesel(sql_type = Text)]
    messages: String,
}

fn rows<T: serde::de::DeserializeOwned>(json: &str) -> QueryResult<Vec<T>> {
    serde_json::from_str(json).map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))
}

impl TimelineSources {
    /// The order and the sources of one page of its timeline, in one round
    /// trip and one statement; `None` when there is no such order. `staff`
    /// adds what became of its messages.
    pub async fn load_order_page(
        mut conn: &AsyncPgConnection,
        order_id: Uuid,
        page: &PageRequest,
        staff: bool,
    ) -> QueryResult<Option<(OrderHead, TimelineSources)>> {
        let Some(row) = page_query(order_id, page, staff).get_result::<PageRow>(&mut conn).await.optional()? else {
            return Ok(None);
        };
        let sources = TimelineSources {
            history: rows(&row.history)?,
            shipments: rows(&row.shipments)?,
            events: rows(&row.scans)?,
            issues: rows(&row.issues)?,
            requests: rows(&row.requests)?,
            messages: rows(&row.messages)?,
        };
        let head = OrderHead {
            customer_id: row.customer_id,
            locale: row.locale,
            ship_country: row.ship_country,
            time_zone: row.time_zone,
        };
        Ok(Some((head, sources)))
    }

    /// The page `page` asks for, from sources loaded by `load_order_page`.
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
    fn each_source_is_cut_at_the_cursor_on_the_right_side_of_a_tie() {
        let c = TimelineCursor { at: at(10), source: SCAN, id: RowId::Serial(5) };
        let oldest = PageRequest { newest_first: false, limit: 10, after: Some(c) };
        assert_eq!(oldest.seek(HISTORY), (Some(c.at), i64::MAX), "history at the same time came before");
        assert_eq!(oldest.seek(SCAN), (Some(c.at), 5));
        assert_eq!(oldest.seek(MESSAGE), (Some(c.at), i64::MIN), "messages at the same time come after");
        let newest = PageRequest { newest_first: true, ..oldest };
        assert_eq!(newest.seek(HISTORY), (Some(c.at), i64::MAX), "newest first, history at that time comes after");
        assert_eq!(newest.seek(MESSAGE), (Some(c.at), i64::MIN));
        // A status change at the cursor's time sorts before a scan.
        let change = TimelineCursor { at: c.at, source: HISTORY, id: RowId::Serial(99) };
        assert!(newest.keeps(&change) && !oldest.keeps(&change));
        let next_scan = TimelineCursor { id: RowId::Serial(6), ..c };
        assert!(oldest.keeps(&next_scan) && !newest.keeps(&next_scan));
        assert!(!oldest.keeps(&c) && !newest.keeps(&c), "the cursor's own entry was on the last page");
    }
}
