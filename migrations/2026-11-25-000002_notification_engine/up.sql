-- Notification engine: preferences, verified phones, push devices, opt-outs,
-- richer outbox rows and provider delivery receipts.

ALTER TABLE customers ADD COLUMN phone_verified_at timestamptz;

-- A random, unguessable code per order: the capability behind the short
-- public tracking link sent to guests (/t/{code}).
ALTER TABLE orders ADD COLUMN tracking_code text;
UPDATE orders SET tracking_code = substr(md5(random()::text || id::text), 1, 12) WHERE tracking_code IS NULL;
ALTER TABLE orders ALTER COLUMN tracking_code SET NOT NULL;
CREATE UNIQUE INDEX orders_tracking_code_idx ON orders (tracking_code);

CREATE TABLE notification_preferences (
    customer_id       uuid PRIMARY KEY REFERENCES customers (id),
    locale            text NOT NULL CHECK (locale IN ('en', 'es', 'ro', 'ru')),
    time_zone         text NOT NULL DEFAULT 'UTC',
    -- Local wall-clock window in which SMS and push wait (may cross midnight).
    quiet_hours_start time,
    quiet_hours_end   time,
    -- {"order_shipped": ["email", "push"], ...}
    channels          jsonb NOT NULL,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CHECK ((quiet_hours_start IS NULL) = (quiet_hours_end IS NULL))
);

CREATE TABLE phone_verifications (
    id              uuid PRIMARY KEY,
    customer_id     uuid NOT NULL REFERENCES customers (id),
    phone           text NOT NULL,
    -- HMAC-SHA256 of the code under a server key: a leaked table does not leak codes.
    code_hash       bytea NOT NULL,
    expires_at      timestamptz NOT NULL,
    failed_attempts integer NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now(),
    verified_at     timestamptz
);
CREATE INDEX phone_verifications_customer_idx ON phone_verifications (customer_id, created_at);

CREATE TABLE device_tokens (
    id             uuid PRIMARY KEY,
    customer_id    uuid NOT NULL REFERENCES customers (id),
    token          text NOT NULL UNIQUE,
    platform       text NOT NULL CHECK (platform IN ('android', 'ios', 'web')),
    created_at     timestamptz NOT NULL DEFAULT now(),
    invalidated_at timestamptz
);
CREATE INDEX device_tokens_customer_idx ON device_tokens (customer_id) WHERE invalidated_at IS NULL;

-- One-click unsubscribes and other hard opt-outs, for customers and guests alike.
CREATE TABLE channel_opt_outs (
    channel    text NOT NULL CHECK (channel IN ('email', 'sms', 'push')),
    recipient  text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (channel, recipient)
);

ALTER TABLE notifications
    ALTER COLUMN order_id DROP NOT NULL,
    ADD COLUMN customer_id uuid REFERENCES customers (id),
    ADD COLUMN device_token_id uuid REFERENCES device_tokens (id),
    -- Extra template values (reason, custom text, a code). Sensitive ones are
    -- wiped once the notification is final.
    ADD COLUMN payload jsonb NOT NULL DEFAULT '{}',
    -- Attempts made before the last admin replay: the budget restarts there.
    ADD COLUMN replay_base_attempts integer NOT NULL DEFAULT 0,
    -- What the provider reported after accepting (delivered, undelivered, failed).
    ADD COLUMN delivery_status text,
    ADD COLUMN delivered_at timestamptz,
    ADD CHECK (order_id IS NOT NULL OR customer_id IS NOT NULL);
CREATE INDEX notifications_provider_message_idx ON notifications (provider_message_id)
    WHERE provider_message_id IS NOT NULL;
CREATE INDEX notifications_failed_idx ON notifications (updated_at, id) WHERE status = 'failed';

-- Every provider callback as received, before it is applied.
CREATE TABLE provider_events (
    id                  bigserial PRIMARY KEY,
    provider            text NOT NULL,
    provider_message_id text NOT NULL,
    status              text NOT NULL,
    payload             jsonb NOT NULL,
    received_at         timestamptz NOT NULL DEFAULT now(),
    applied             boolean NOT NULL DEFAULT false
);
CREATE INDEX provider_events_message_idx ON provider_events (provider_message_id);
