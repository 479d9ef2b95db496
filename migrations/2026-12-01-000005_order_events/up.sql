-- The durable log of everything that appears on an order's timeline, for live
-- updates and their resume. Writers append rows in the transaction of the
-- change (`id` still NULL); a sequencer then numbers committed rows in one
-- locked transaction at a time, so ids become visible strictly in increasing
-- order and "every event after id N" is an exact resume cursor.
CREATE SEQUENCE order_event_ids;

CREATE TABLE order_events (
    seq_key     bigserial PRIMARY KEY,
    id          bigint UNIQUE,
    -- No foreign keys: an insert would take a share lock on the order row,
    -- and a worker recording a message's outcome (holding its notification
    -- row) then deadlocked with a status change (holding the order, waiting
    -- on that notification's dedupe key). Orders are never deleted.
    order_id    uuid NOT NULL,
    -- The order's customer, so one customer's stream finds every order.
    customer_id uuid,
    kind        text NOT NULL CHECK (kind IN ('status_change', 'shipment_added', 'carrier_event', 'issue',
                                              'customer_request', 'request_resolved', 'notification')),
    -- Seen by staff only (notification outcomes).
    staff_only  boolean NOT NULL DEFAULT false,
    -- The timeline entry, as the timeline endpoint renders it for staff.
    entry       jsonb NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT clock_timestamp()
);
CREATE INDEX order_events_unsequenced_idx ON order_events (seq_key) WHERE id IS NULL;
CREATE INDEX order_events_order_idx ON order_events (order_id, id);
CREATE INDEX order_events_customer_idx ON order_events (customer_id, id) WHERE customer_id IS NOT NULL;
CREATE INDEX order_events_created_idx ON order_events (created_at);

-- Single-use tickets that let a browser open an event stream (EventSource and
-- WebSocket cannot send an Authorization header). Only a hash is stored.
CREATE TABLE stream_tickets (
    ticket_hash bytea PRIMARY KEY,
    token_id    uuid NOT NULL REFERENCES api_tokens (id),
    scope       text NOT NULL CHECK (scope IN ('order', 'me', 'admin', 'ws')),
    order_id    uuid REFERENCES orders (id),
    expires_at  timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX stream_tickets_expiry_idx ON stream_tickets (expires_at);
