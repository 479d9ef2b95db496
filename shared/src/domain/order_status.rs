//! Where an order stands. Which status may follow which is the workflow's
//! business (`crate::orders::workflow`).

use crate::text_enum;

text_enum! {
    /// Where an order stands, from the shopper's point of view.
    OrderStatus ("order status") {
        Pending => "pending",
        Confirmed => "confirmed",
        Processing => "processing",
        /// Held for review (payment, fraud, stock); resumes or is cancelled.
        OnHold => "on_hold",
        Shipped => "shipped",
        InTransit => "in_transit",
        OutForDelivery => "out_for_delivery",
        /// A shipment problem that needs attention (failed attempt, damage, customs).
        Exception => "exception",
        Delivered => "delivered",
        Cancelled => "cancelled",
        Returned => "returned",
    }
}

impl OrderStatus {
    /// Where an order's story has ended, for the shopper: everything else is
    /// still active.
    pub const CLOSED: [OrderStatus; 3] = [OrderStatus::Delivered, OrderStatus::Cancelled, OrderStatus::Returned];

    /// Statuses with no way forward by design.
    pub fn is_terminal(self) -> bool {
        matches!(self, OrderStatus::Cancelled | OrderStatus::Returned)
    }
}
