//! Value types: parsed at the edge, valid everywhere after. Logic that uses
//! them lives with its topic (`orders`, `carriers`, `notify`, ...).

pub mod carrier;
pub mod contact;
pub mod locale;
pub mod notification;
pub mod order_status;
pub mod postal_code;
pub mod role;
pub mod text_enum;

pub use carrier::Carrier;
pub use contact::{mobile_number, EmailAddress, MobileError, PhoneNumber};
pub use locale::Locale;
pub use notification::{
    AttemptOutcome, ChangeSource, Channel, MessageEventKind, NotificationEvent, NotificationStatus, Platform,
};
pub use order_status::OrderStatus;
pub use role::Role;
