// @generated automatically by Diesel CLI.

diesel::table! {
    api_tokens (id) {
        id -> Uuid,
        token_hash -> Bytea,
        role -> Text,
        customer_id -> Nullable<Uuid>,
        label -> Text,
        created_at -> Timestamptz,
        expires_at -> Nullable<Timestamptz>,
        revoked_at -> Nullable<Timestamptz>,
        last_used_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Int8,
        actor -> Text,
        role -> Text,
        action -> Text,
        target_type -> Nullable<Text>,
        target_id -> Nullable<Text>,
        before -> Nullable<Jsonb>,
        after -> Nullable<Jsonb>,
        request_id -> Nullable<Text>,
        ip -> Nullable<Text>,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    carrier_receipts (id) {
        id -> Uuid,
        carrier -> Text,
        body -> Text,
        body_hash -> Bytea,
        source_ip -> Nullable<Text>,
        status -> Text,
        attempts -> Int4,
        last_error -> Nullable<Text>,
        received_at -> Timestamptz,
        processed_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    channel_opt_outs (channel, recipient) {
        channel -> Text,
        recipient -> Text,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    customer_requests (id) {
        id -> Uuid,
        order_id -> Uuid,
        shipment_id -> Nullable<Uuid>,
        kind -> Text,
        status -> Text,
        details -> Jsonb,
        requested_by -> Text,
        resolution -> Nullable<Text>,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        resolved_by -> Nullable<Text>,
        claimed_by -> Nullable<Text>,
        claimed_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    customers (id) {
        id -> Uuid,
        external_id -> Text,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        name -> Nullable<Text>,
        locale -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        phone_verified_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    device_tokens (id) {
        id -> Uuid,
        customer_id -> Uuid,
        token -> Text,
        platform -> Text,
        created_at -> Timestamptz,
        invalidated_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    idempotency_keys (token_id, key) {
        token_id -> Uuid,
        key -> Text,
        request_hash -> Bytea,
        response_status -> Int2,
        response_body -> Jsonb,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    notification_attempts (id) {
        id -> Int8,
        notification_id -> Uuid,
        attempt -> Int4,
        outcome -> Text,
        provider -> Text,
        provider_message_id -> Nullable<Text>,
        error -> Nullable<Text>,
        started_at -> Timestamptz,
        duration_ms -> Int4,
    }
}

diesel::table! {
    notification_daily_rollups (day, channel, event, locale, carrier) {
        day -> Date,
        channel -> Text,
        event -> Text,
        locale -> Text,
        carrier -> Text,
        queued -> Int4,
        sent -> Int4,
        failed -> Int4,
        delivered -> Int4,
        bounced -> Int4,
        opened -> Int4,
        opened_machine -> Int4,
        clicked -> Int4,
        unsubscribed -> Int4,
        complained -> Int4,
        latency -> Array<Nullable<Int4>>,
    }
}

diesel::table! {
    notification_daily_totals (dimension, day, value) {
        day -> Date,
        dimension -> Text,
        value -> Text,
        queued -> Int4,
        sent -> Int4,
        failed -> Int4,
        delivered -> Int4,
        bounced -> Int4,
        opened -> Int4,
        opened_machine -> Int4,
        clicked -> Int4,
        unsubscribed -> Int4,
        complained -> Int4,
        latency -> Array<Nullable<Int4>>,
    }
}

diesel::table! {
    notification_events (id) {
        id -> Int8,
        notification_id -> Nullable<Uuid>,
        order_id -> Nullable<Uuid>,
        kind -> Text,
        machine -> Bool,
        detail -> Jsonb,
        provider -> Text,
        provider_event_id -> Nullable<Text>,
        occurred_at -> Timestamptz,
        recorded_at -> Timestamptz,
    }
}

diesel::table! {
    notification_preferences (customer_id) {
        customer_id -> Uuid,
        locale -> Text,
        time_zone -> Text,
        quiet_hours_start -> Nullable<Time>,
        quiet_hours_end -> Nullable<Time>,
        channels -> Jsonb,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    notification_rollups (hour, channel, event, locale, carrier) {
        hour -> Timestamptz,
        channel -> Text,
        event -> Text,
        locale -> Text,
        carrier -> Text,
        queued -> Int4,
        sent -> Int4,
        failed -> Int4,
        delivered -> Int4,
        bounced -> Int4,
        opened -> Int4,
        opened_machine -> Int4,
        clicked -> Int4,
        unsubscribed -> Int4,
        complained -> Int4,
        latency -> Array<Nullable<Int4>>,
    }
}

diesel::table! {
    notification_templates (id) {
        id -> Uuid,
        event -> Text,
        channel -> Text,
        locale -> Text,
        version -> Int4,
        subject -> Nullable<Text>,
        body -> Text,
        html -> Nullable<Text>,
        comment -> Text,
        created_by -> Text,
        created_at -> Timestamptz,
        active -> Bool,
    }
}

diesel::table! {
    notifications (id) {
        id -> Uuid,
        order_id -> Nullable<Uuid>,
        event -> Text,
        channel -> Text,
        recipient -> Text,
        locale -> Text,
        queue -> Text,
        status -> Text,
        attempts -> Int4,
        next_attempt_at -> Timestamptz,
        locked_until -> Nullable<Timestamptz>,
        last_error -> Nullable<Text>,
        provider_message_id -> Nullable<Text>,
        dedupe_key -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        sent_at -> Nullable<Timestamptz>,
        customer_id -> Nullable<Uuid>,
        device_token_id -> Nullable<Uuid>,
        payload -> Jsonb,
        replay_base_attempts -> Int4,
        delivery_status -> Nullable<Text>,
        delivered_at -> Nullable<Timestamptz>,
        links -> Array<Nullable<Text>>,
    }
}

diesel::table! {
    order_event_inbox (seq_key) {
        seq_key -> Int8,
        order_id -> Uuid,
        customer_id -> Nullable<Uuid>,
        kind -> Text,
        staff_only -> Bool,
        entry -> Jsonb,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    order_events (id) {
        id -> Int8,
        order_id -> Uuid,
        customer_id -> Nullable<Uuid>,
        kind -> Text,
        staff_only -> Bool,
        entry -> Jsonb,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    order_ratings (order_id) {
        order_id -> Uuid,
        score -> Int2,
        comment -> Nullable<Text>,
        notification_id -> Uuid,
        rated_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    order_rollups (day, carrier) {
        day -> Date,
        carrier -> Text,
        reached -> Jsonb,
        to_ship_hours -> Array<Nullable<Int4>>,
        to_deliver_hours -> Array<Nullable<Int4>>,
        with_estimate -> Int4,
        on_time -> Int4,
        delays -> Int4,
        exceptions -> Int4,
        warnings -> Int4,
        warnings_early -> Int4,
        warning_lead_hours -> Array<Nullable<Int4>>,
    }
}

diesel::table! {
    order_status_history (id) {
        id -> Int8,
        order_id -> Uuid,
        from_status -> Nullable<Text>,
        to_status -> Text,
        source -> Text,
        actor -> Text,
        note -> Nullable<Text>,
        occurred_at -> Timestamptz,
        recorded_at -> Timestamptz,
    }
}

diesel::table! {
    order_timeline (order_id, occurred_at, source, serial_id, uuid_id) {
        order_id -> Uuid,
        occurred_at -> Timestamptz,
        source -> Int2,
        serial_id -> Int8,
        uuid_id -> Uuid,
        entry -> Json,
    }
}

diesel::table! {
    orders (id) {
        id -> Uuid,
        order_number -> Text,
        customer_id -> Nullable<Uuid>,
        contact_email -> Nullable<Text>,
        contact_phone -> Nullable<Text>,
        contact_name -> Nullable<Text>,
        locale -> Text,
        status -> Text,
        ship_name -> Text,
        ship_line1 -> Text,
        ship_line2 -> Nullable<Text>,
        ship_city -> Text,
        ship_region -> Nullable<Text>,
        ship_postal_code -> Text,
        ship_country -> Text,
        estimated_delivery_at -> Nullable<Timestamptz>,
        version -> Int4,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        tracking_code -> Text,
        first_estimated_delivery_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    phone_verifications (id) {
        id -> Uuid,
        customer_id -> Uuid,
        phone -> Text,
        code_hash -> Bytea,
        expires_at -> Timestamptz,
        failed_attempts -> Int4,
        created_at -> Timestamptz,
        verified_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    portal_links (link_hash) {
        link_hash -> Bytea,
        customer_id -> Uuid,
        locale -> Text,
        return_url -> Nullable<Text>,
        created_by -> Nullable<Uuid>,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
    }
}

diesel::table! {
    portal_sessions (id) {
        id -> Uuid,
        session_hash -> Bytea,
        customer_id -> Uuid,
        locale -> Text,
        return_url -> Nullable<Text>,
        created_at -> Timestamptz,
        last_used_at -> Timestamptz,
        idle_expires_at -> Timestamptz,
        expires_at -> Timestamptz,
        ended_at -> Nullable<Timestamptz>,
    }
}

diesel::table! {
    provider_events (id) {
        id -> Int8,
        provider -> Text,
        provider_message_id -> Text,
        status -> Text,
        payload -> Jsonb,
        received_at -> Timestamptz,
        applied -> Bool,
    }
}

diesel::table! {
    rollup_watermarks (name) {
        name -> Text,
        through -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    satisfaction_rollups (day, delayed, warned, carrier, channels) {
        day -> Date,
        delayed -> Bool,
        warned -> Bool,
        carrier -> Text,
        channels -> Text,
        ratings -> Int4,
        score_sum -> Int4,
        scores -> Array<Nullable<Int4>>,
    }
}

diesel::table! {
    shipment_issues (id) {
        id -> Uuid,
        shipment_id -> Uuid,
        order_id -> Uuid,
        kind -> Text,
        detail -> Nullable<Text>,
        description -> Text,
        estimated_delivery_at -> Nullable<Timestamptz>,
        dedupe_key -> Text,
        detected_at -> Timestamptz,
    }
}

diesel::table! {
    shipments (id) {
        id -> Uuid,
        order_id -> Uuid,
        carrier -> Text,
        tracking_number -> Text,
        tracking_status -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
        tracking_detail -> Nullable<Text>,
        estimated_delivery_at -> Nullable<Timestamptz>,
        last_event_at -> Nullable<Timestamptz>,
        last_webhook_at -> Nullable<Timestamptz>,
        delivered_at -> Nullable<Timestamptz>,
        next_poll_at -> Timestamptz,
        poll_failures -> Int4,
        rescheduled_to -> Nullable<Date>,
    }
}

diesel::table! {
    staff_password_links (link_hash) {
        link_hash -> Bytea,
        user_id -> Uuid,
        created_at -> Timestamptz,
        expires_at -> Timestamptz,
    }
}

diesel::table! {
    staff_sessions (id) {
        id -> Uuid,
        session_hash -> Bytea,
        user_id -> Uuid,
        ip -> Nullable<Text>,
        created_at -> Timestamptz,
        last_used_at -> Timestamptz,
        idle_expires_at -> Timestamptz,
        expires_at -> Timestamptz,
        ended_at -> Nullable<Timestamptz>,
        ended_by -> Nullable<Text>,
    }
}

diesel::table! {
    staff_users (id) {
        id -> Uuid,
        email -> Text,
        name -> Text,
        role -> Text,
        password_hash -> Nullable<Text>,
        totp_sealed -> Nullable<Bytea>,
        totp_nonce -> Nullable<Bytea>,
        totp_enabled_at -> Nullable<Timestamptz>,
        totp_last_step -> Nullable<Int8>,
        failed_sign_ins -> Int4,
        locked_until -> Nullable<Timestamptz>,
        disabled_at -> Nullable<Timestamptz>,
        last_sign_in_at -> Nullable<Timestamptz>,
        created_by -> Text,
        created_at -> Timestamptz,
        updated_at -> Timestamptz,
    }
}

diesel::table! {
    status_transitions (from_status, to_status) {
        from_status -> Text,
        to_status -> Text,
        roles -> Array<Nullable<Text>>,
    }
}

diesel::table! {
    stream_tickets (ticket_hash) {
        ticket_hash -> Bytea,
        token_id -> Uuid,
        scope -> Text,
        order_id -> Nullable<Uuid>,
        expires_at -> Timestamptz,
        created_at -> Timestamptz,
    }
}

diesel::table! {
    tracking_events (id) {
        id -> Int8,
        shipment_id -> Uuid,
        status -> Text,
        detail -> Nullable<Text>,
        carrier_code -> Text,
        description -> Text,
        location -> Nullable<Text>,
        occurred_at -> Timestamptz,
        recorded_at -> Timestamptz,
        source -> Text,
        receipt_id -> Nullable<Uuid>,
        applied -> Bool,
        raw -> Jsonb,
    }
}

diesel::joinable!(api_tokens -> customers (customer_id));
diesel::joinable!(customer_requests -> orders (order_id));
diesel::joinable!(customer_requests -> shipments (shipment_id));
diesel::joinable!(device_tokens -> customers (customer_id));
diesel::joinable!(idempotency_keys -> api_tokens (token_id));
diesel::joinable!(notification_attempts -> notifications (notification_id));
diesel::joinable!(notification_events -> notifications (notification_id));
diesel::joinable!(notification_events -> orders (order_id));
diesel::joinable!(notification_preferences -> customers (customer_id));
diesel::joinable!(notifications -> customers (customer_id));
diesel::joinable!(notifications -> device_tokens (device_token_id));
diesel::joinable!(notifications -> orders (order_id));
diesel::joinable!(order_ratings -> notifications (notification_id));
diesel::joinable!(order_ratings -> orders (order_id));
diesel::joinable!(order_status_history -> orders (order_id));
diesel::joinable!(orders -> customers (customer_id));
diesel::joinable!(phone_verifications -> customers (customer_id));
diesel::joinable!(portal_links -> api_tokens (created_by));
diesel::joinable!(portal_links -> customers (customer_id));
diesel::joinable!(portal_sessions -> customers (customer_id));
diesel::joinable!(shipment_issues -> orders (order_id));
diesel::joinable!(shipment_issues -> shipments (shipment_id));
diesel::joinable!(shipments -> orders (order_id));
diesel::joinable!(staff_password_links -> staff_users (user_id));
diesel::joinable!(staff_sessions -> staff_users (user_id));
diesel::joinable!(stream_tickets -> api_tokens (token_id));
diesel::joinable!(stream_tickets -> orders (order_id));
diesel::joinable!(tracking_events -> carrier_receipts (receipt_id));
diesel::joinable!(tracking_events -> shipments (shipment_id));

diesel::allow_tables_to_appear_in_same_query!(
    api_tokens,
    audit_log,
    carrier_receipts,
    channel_opt_outs,
    customer_requests,
    customers,
    device_tokens,
    idempotency_keys,
    notification_attempts,
    notification_daily_rollups,
    notification_daily_totals,
    notification_events,
    notification_preferences,
    notification_rollups,
    notification_templates,
    notifications,
    order_event_inbox,
    order_events,
    order_ratings,
    order_rollups,
    order_status_history,
    order_timeline,
    orders,
    phone_verifications,
    portal_links,
    portal_sessions,
    provider_events,
    rollup_watermarks,
    satisfaction_rollups,
    shipment_issues,
    shipments,
    staff_password_links,
    staff_sessions,
    staff_users,
    status_transitions,
    stream_tickets,
    tracking_events,
);
