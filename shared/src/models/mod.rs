//! One file per table: `X` (read), `NewX` (insert), queries as functions that
//! take a connection.

pub mod api_token;
pub mod audit;
pub mod carrier_receipt;
pub mod customer;
pub mod customer_request;
pub mod device_token;
pub mod idempotency;
pub mod notification;
pub mod notification_attempt;
pub mod opt_out;
pub mod order;
pub mod order_event;
pub mod phone_verification;
pub mod preferences;
pub mod provider_event;
pub mod shipment;
pub mod shipment_issue;
pub mod status_history;
pub mod stream_ticket;
pub mod template_version;
pub mod tracking_event;
pub mod transition;

pub use api_token::ApiToken;
pub use audit::{AuditEntry, AuditFilter, NewAuditEntry};
pub use carrier_receipt::{CarrierReceipt, NewCarrierReceipt};
pub use customer::{Customer, NewCustomer};
pub use customer_request::CustomerRequest;
pub use device_token::DeviceToken;
pub use idempotency::IdempotentResponse;
pub use notification::{DueNotification, NewNotification, Notification};
pub use notification_attempt::{NewNotificationAttempt, NotificationAttempt};
pub use opt_out::OptOut;
pub use order::{NewOrder, Order, OrderFilter, ShippingAddress, SortOrder};
pub use order_event::{EventOrder, EventScope, NewOrderEvent, OrderEvent};
pub use phone_verification::PhoneVerification;
pub use preferences::Preferences;
pub use provider_event::NewProviderEvent;
pub use shipment::{NewShipment, Shipment, ShipmentTracking};
pub use shipment_issue::ShipmentIssue;
pub use status_history::{NewStatusChange, StatusChange};
pub use stream_ticket::{RedeemedTicket, StreamTicket};
pub use template_version::{TemplateKey, TemplateVersion};
pub use tracking_event::{NewTrackingEvent, TrackingEvent};
pub use transition::StatusTransition;
