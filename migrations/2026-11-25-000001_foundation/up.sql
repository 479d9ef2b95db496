-- Foundation: customers, tokens, orders and their timeline, shipments, the
-- configurable status workflow, notifications (the outbox) and their attempts.

CREATE TABLE customers (
    id          uuid PRIMARY KEY,
    external_id text NOT NULL UNIQUE,
    email       text,
    phone       text,
    name        text,
    locale      text NOT NULL DEFAULT 'en' CHECK (locale IN ('en', 'es', 'ro', 'ru')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now()
);

-- Bearer tokens. Only the SHA-256 of the secret is stored.
CREATE TABLE api_tokens (
    id          uuid PRIMARY KEY,
    token_hash  bytea NOT NULL UNIQUE,
    role        text NOT NULL CHECK (role IN ('customer', 'csr', 'admin', 'service')),
    customer_id uuid REFERENCES customers (id),
    label       text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz,
    revoked_at  timestamptz,
    CHECK ((role = 'customer') = (customer_id IS NOT NULL))
);

CREATE TABLE orders (
    id                    uuid PRIMARY KEY,
    order_number          text NOT NULL UNIQUE,
    customer_id           uuid REFERENCES customers (id),
    contact_email         text,
    contact_phone         text,
    contact_name          text,
    locale                text NOT NULL CHECK (locale IN ('en', 'es', 'ro', 'ru')),
    status                text NOT NULL,
    ship_name             text NOT NULL,
    ship_line1            text NOT NULL,
    ship_line2            text,
    ship_city             text NOT NULL,
    ship_region           text,
    ship_postal_code      text NOT NULL,
    ship_country          text NOT NULL,
    estimated_delivery_at timestamptz,
    version               integer NOT NULL DEFAULT 1,
    created_at            timestamptz NOT NULL DEFAULT now(),
    updated_at            timestamptz NOT NULL DEFAULT now(),
    CHECK (contact_email IS NOT NULL OR contact_phone IS NOT NULL)
);
-- Listing: per customer, per status, or everything, newest first, keyset paginated.
CREATE INDEX orders_customer_created_idx ON orders (customer_id, created_at, id);
CREATE INDEX orders_status_created_idx ON orders (status, created_at, id);
CREATE INDEX orders_created_idx ON orders (created_at, id);

CREATE TABLE order_status_history (
    id          bigserial PRIMARY KEY,
    order_id    uuid NOT NULL REFERENCES orders (id),
    from_status text,
    to_status   text NOT NULL,
    source      text NOT NULL CHECK (source IN ('storefront', 'admin', 'csr', 'carrier', 'system')),
    actor       text NOT NULL,
    note        text,
    occurred_at timestamptz NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX order_status_history_order_idx ON order_status_history (order_id, occurred_at, id);

CREATE TABLE shipments (
    id              uuid PRIMARY KEY,
    order_id        uuid NOT NULL REFERENCES orders (id),
    carrier         text NOT NULL CHECK (carrier IN ('fedex', 'ups', 'dhl')),
    tracking_number text NOT NULL,
    tracking_status text NOT NULL DEFAULT 'pre_transit',
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (carrier, tracking_number)
);
CREATE INDEX shipments_order_idx ON shipments (order_id, created_at);

-- The order workflow: which status may follow which, and who may take the step.
CREATE TABLE status_transitions (
    from_status text NOT NULL,
    to_status   text NOT NULL,
    roles       text[] NOT NULL DEFAULT '{admin,csr,service}',
    PRIMARY KEY (from_status, to_status),
    CHECK (from_status <> to_status)
);

INSERT INTO status_transitions (from_status, to_status) VALUES
    ('pending', 'confirmed'), ('pending', 'on_hold'), ('pending', 'cancelled'),
    ('confirmed', 'processing'), ('confirmed', 'shipped'), ('confirmed', 'on_hold'), ('confirmed', 'cancelled'),
    ('processing', 'shipped'), ('processing', 'on_hold'), ('processing', 'cancelled'),
    ('on_hold', 'confirmed'), ('on_hold', 'processing'), ('on_hold', 'cancelled'),
    ('shipped', 'in_transit'), ('shipped', 'out_for_delivery'), ('shipped', 'delivered'),
    ('shipped', 'exception'), ('shipped', 'returned'),
    ('in_transit', 'out_for_delivery'), ('in_transit', 'delivered'), ('in_transit', 'exception'),
    ('in_transit', 'returned'),
    ('out_for_delivery', 'delivered'), ('out_for_delivery', 'in_transit'),
    ('out_for_delivery', 'exception'), ('out_for_delivery', 'returned'),
    ('exception', 'in_transit'), ('exception', 'out_for_delivery'), ('exception', 'delivered'),
    ('exception', 'returned'), ('exception', 'cancelled'),
    ('delivered', 'returned');

-- The outbox: a row per message to send, written in the same transaction as the
-- change that causes it. The dedupe key (order, event, channel, recipient) makes
-- every retry, replay or duplicate event a no-op.
CREATE TABLE notifications (
    id                  uuid PRIMARY KEY,
    order_id            uuid NOT NULL REFERENCES orders (id),
    event               text NOT NULL,
    channel             text NOT NULL CHECK (channel IN ('email', 'sms', 'push')),
    recipient           text NOT NULL,
    locale              text NOT NULL CHECK (locale IN ('en', 'es', 'ro', 'ru')),
    queue               text NOT NULL,
    status              text NOT NULL DEFAULT 'pending'
                        CHECK (status IN ('pending', 'sending', 'sent', 'failed')),
    attempts            integer NOT NULL DEFAULT 0,
    next_attempt_at     timestamptz NOT NULL DEFAULT now(),
    locked_until        timestamptz,
    last_error          text,
    provider_message_id text,
    dedupe_key          text NOT NULL UNIQUE,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    sent_at             timestamptz
);
CREATE INDEX notifications_order_idx ON notifications (order_id, created_at);
-- The sweeper's two scans: pending rows overdue, and claims whose lease ran out.
CREATE INDEX notifications_pending_idx ON notifications (next_attempt_at) WHERE status = 'pending';
CREATE INDEX notifications_sending_idx ON notifications (locked_until) WHERE status = 'sending';

CREATE TABLE notification_attempts (
    id                  bigserial PRIMARY KEY,
    notification_id     uuid NOT NULL REFERENCES notifications (id),
    attempt             integer NOT NULL,
    outcome             text NOT NULL CHECK (outcome IN ('sent', 'transient_error', 'permanent_error')),
    provider            text NOT NULL,
    provider_message_id text,
    error               text,
    started_at          timestamptz NOT NULL,
    duration_ms         integer NOT NULL,
    UNIQUE (notification_id, attempt)
);

-- Idempotency-Key replays: the first response, per caller and key.
CREATE TABLE idempotency_keys (
    token_id        uuid NOT NULL REFERENCES api_tokens (id),
    key             text NOT NULL,
    request_hash    bytea NOT NULL,
    response_status smallint NOT NULL,
    response_body   jsonb NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (token_id, key)
);
