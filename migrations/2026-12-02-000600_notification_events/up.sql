-- What became of a message once it left: delivery reports, bounces,
-- complaints, unsubscribes, opens, clicks and ratings. One row per fact,
-- never updated. A provider's own event id makes a redelivered callback a
-- no-op; our own facts (opens, clicks, ratings) have none and are all kept.
CREATE TABLE notification_events (
    id                bigserial PRIMARY KEY,
    -- Null when a provider reports on a message we cannot match (kept all the same).
    notification_id   uuid REFERENCES notifications (id),
    order_id          uuid REFERENCES orders (id),
    kind              text NOT NULL CHECK (kind IN ('delivered', 'deferred', 'bounced', 'dropped', 'complained',
                                                    'unsubscribed', 'opened', 'clicked', 'rated')),
    -- An open by a mail-privacy proxy (Apple Mail Privacy Protection and the like), not a person.
    machine           boolean NOT NULL DEFAULT false,
    detail            jsonb NOT NULL DEFAULT '{}',
    provider          text NOT NULL,
    provider_event_id text,
    occurred_at       timestamptz NOT NULL,
    recorded_at       timestamptz NOT NULL DEFAULT now()
);
-- Null ids are distinct: only the provider's ids deduplicate.
CREATE UNIQUE INDEX notification_events_provider_idx ON notification_events (provider, provider_event_id);
-- "Is this the message's first open/click?" for unique counts.
CREATE INDEX notification_events_notification_idx ON notification_events (notification_id, kind, occurred_at, id);
-- The order's timeline for staff (a keyset seek like the other sources).
CREATE INDEX notification_events_order_idx ON notification_events (order_id, occurred_at, id);
-- Roll-ups: buckets by event time, and what arrived since the watermark.
CREATE INDEX notification_events_occurred_idx ON notification_events (occurred_at);
CREATE INDEX notification_events_recorded_idx ON notification_events (recorded_at);

-- The targets a sent message linked to, in order: a click token names one
-- by its index, so /c/ can only ever redirect where the message pointed.
ALTER TABLE notifications ADD COLUMN links text[] NOT NULL DEFAULT '{}';

-- The shopper's satisfaction with an order's delivery: one rating per order,
-- changeable for 7 days after it was first given (each change is also a
-- `rated` event above).
CREATE TABLE order_ratings (
    order_id        uuid PRIMARY KEY REFERENCES orders (id),
    score           smallint NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment         text CHECK (char_length(comment) <= 2000),
    -- The message whose link the shopper followed (its channel).
    notification_id uuid NOT NULL REFERENCES notifications (id),
    rated_at        timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_ratings_updated_idx ON order_ratings (updated_at);

-- They reach staff on the live timeline too.
ALTER TABLE order_events DROP CONSTRAINT order_events_kind_check,
    ADD CONSTRAINT order_events_kind_check CHECK (kind IN ('status_change', 'shipment_added', 'carrier_event',
        'issue', 'customer_request', 'request_resolved', 'notification', 'message_event'));
