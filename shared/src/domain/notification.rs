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
