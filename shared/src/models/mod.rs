//! One file per table: `X` (read), `NewX` (insert), queries as functions that
//! take a connection.

pub mod api_token;
pub mod customer;
pub mod idempotency;
pub mod notification;
pub mod notification_attempt;
pub mod order;
pub mod shipment;
pub mod status_history;
pub mod transition;

pub use api_token::ApiToken;
pub use customer::{Customer, NewCustomer};
pub use idempotency::IdempotentResponse;
pub use notification::{DueNotification, NewNotification, Notification};
pub use notification_attempt::{NewNotificationAttempt, NotificationAttempt};
pub use order::{NewOrder, Order, OrderFilter, SortOrder};
pub use shipment::{NewShipment, Shipment};
pub use status_history::{NewStatusChange, StatusChange};
pub use transition::StatusTransition;
