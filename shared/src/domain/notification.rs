use crate::text_enum;

text_enum! {
    /// The medium a notification travels on.
    Channel ("channel") {
        Email => "email",
        Sms => "sms",
        Push => "push",
    }
}

text_enum! {
    /// What happened to the order that is worth telling the shopper.
    NotificationEvent ("event") {
        OrderConfirmed => "order_confirmed",
        OrderShipped => "order_shipped",
        OutForDelivery => "out_for_delivery",
        Delivered => "delivered",
        Delayed => "delayed",
        DeliveryException => "delivery_exception",
        ActionNeeded => "action_needed",
        Cancelled => "cancelled",
        Returned => "returned",
        /// A phone-verification code (SMS only, never a preference).
        VerificationCode => "verification_code",
        /// A free-text message from customer service.
        Custom => "custom",
        /// Confirms a shopper's request (reschedule, address change, support).
        RequestReceived => "request_received",
        /// The outcome of a shopper's request: applied, confirmed, declined
        /// or answered, with customer service's reply.
        RequestResolved => "request_resolved",
    }
}

text_enum! {
    /// A notification's life: waiting (first try or a retry), claimed by a
    /// worker, delivered to the provider, or given up on (dead-lettered).
    NotificationStatus ("notification status") {
        Pending => "pending",
        Sending => "sending",
        Sent => "sent",
        Failed => "failed",
    }
}

text_enum! {
    /// How one delivery attempt ended.
    AttemptOutcome ("attempt outcome") {
        Sent => "sent",
        TransientError => "transient_error",
        PermanentError => "permanent_error",
    }
}

text_enum! {
    /// Who caused a status change.
    ChangeSource ("change source") {
        Storefront => "storefront",
        Admin => "admin",
        Csr => "csr",
        Carrier => "carrier",
        System => "system",
    }
}

impl NotificationEvent {
    /// Events that may reach a shopper when it matters most: they jump the
    /// queue and ignore quiet hours (never an opt-out).
    pub fn is_critical(self) -> bool {
        matches!(
            self,
            NotificationEvent::Delayed
                | NotificationEvent::DeliveryException
                | NotificationEvent::ActionNeeded
                | NotificationEvent::VerificationCode
        )
    }

    /// Events a shopper chooses channels for (all but verification codes).
    pub fn is_preference(self) -> bool {
        !matches!(self, NotificationEvent::VerificationCode)
    }

    /// Whether the payload holds a secret to wipe once the message is final.
    pub fn is_sensitive(self) -> bool {
        matches!(self, NotificationEvent::VerificationCode)
    }

    /// The event an order status change announces, if any.
    pub fn for_status(status: crate::domain::OrderStatus) -> Option<NotificationEvent> {
        use crate::domain::OrderStatus as S;
        match status {
            S::Confirmed => Some(NotificationEvent::OrderConfirmed),
            S::Shipped => Some(NotificationEvent::OrderShipped),
            S::OutForDelivery => Some(NotificationEvent::OutForDelivery),
            S::Delivered => Some(NotificationEvent::Delivered),
            S::Exception => Some(NotificationEvent::DeliveryException),
            S::Cancelled => Some(NotificationEvent::Cancelled),
            S::Returned => Some(NotificationEvent::Returned),
            S::Pending | S::Processing | S::OnHold | S::InTransit => None,
        }
    }
}

text_enum! {
    /// A push device's platform.
    Platform ("platform") {
        Android => "android",
        Ios => "ios",
        Web => "web",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::OrderStatus;

    #[test]
    fn every_status_that_matters_to_a_shopper_announces_an_event() {
        let announced: Vec<OrderStatus> =
            OrderStatus::ALL.iter().copied().filter(|s| NotificationEvent::for_status(*s).is_some()).collect();
        assert_eq!(
            announced,
            [
                OrderStatus::Confirmed,
                OrderStatus::Shipped,
                OrderStatus::OutForDelivery,
                OrderStatus::Exception,
                OrderStatus::Delivered,
                OrderStatus::Cancelled,
                OrderStatus::Returned
            ]
        );
        assert!(NotificationEvent::for_status(OrderStatus::Exception).is_some_and(NotificationEvent::is_critical));
    }
}

text_enum! {
    /// What became of a message after it left (`notification_events`).
    MessageEventKind ("message event") {
        Delivered => "delivered",
        /// The receiving server asked to try later (the provider retries).
        Deferred => "deferred",
        Bounced => "bounced",
        /// The provider refused to send it (suppressed, invalid).
        Dropped => "dropped",
        /// Marked as spam.
        Complained => "complained",
        Unsubscribed => "unsubscribed",
        Opened => "opened",
        Clicked => "clicked",
        /// The shopper rated the delivery through the message's link.
        Rated => "rated",
    }
}
