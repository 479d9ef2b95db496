//! Every word a shopper reads outside the message templates, in each
//! [`Locale`]: status names ([`statuses`]), timeline titles ([`titles`]),
//! dates and times ([`dates`]) in the shopper's time zone ([`zones`]), and
//! which language a request asks for ([`accept_language`]).
//!
//! Pure functions over structured values: callers never translate English
//! text, they name what happened and ask for its words here. Adding a
//! locale is a compile error in every exhaustive `match` below until each
//! text exists (docs/CONTRIBUTING.md, "a locale").

pub mod accept_language;
pub mod dates;
pub mod statuses;
pub mod titles;
pub mod zones;

pub use chrono_tz::Tz;

pub use accept_language::preferred_locale;
pub use dates::{format_date, format_datetime};
pub use statuses::{status_text, tracking_detail_text, tracking_status_text};
pub use zones::{shopper_zone, zone_for_country};
