-- Carriers: raw webhook receipts, the normalized tracking history, polling
-- state, detected delays and exceptions, customer requests, and the audit log.

-- Every webhook body exactly as received, stored before anything else.
CREATE TABLE carrier_receipts (
    id           uuid PRIMARY KEY,
    carrier      text NOT NULL CHECK (carrier IN ('fedex', 'ups', 'dhl')),
    body         text NOT NULL,
    -- SHA-256 of the body: an identical payload delivered twice is one receipt.
    body_hash    bytea NOT NULL,
    source_ip    text,
    status       text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'processed', 'failed')),
    attempts     integer NOT NULL DEFAULT 0,
    last_error   text,
    received_at  timestamptz NOT NULL DEFAULT now(),
    processed_at timestamptz,
    UNIQUE (carrier, body_hash)
);
CREATE INDEX carrier_receipts_open_idx ON carrier_receipts (received_at) WHERE status <> 'processed';

ALTER TABLE shipments
    ADD COLUMN tracking_detail text,
    ADD COLUMN estimated_delivery_at timestamptz,
    -- When the newest known event happened (not when we heard of it).
    ADD COLUMN last_event_at timestamptz,
    ADD COLUMN last_webhook_at timestamptz,
    ADD COLUMN delivered_at timestamptz,
    ADD COLUMN next_poll_at timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN poll_failures integer NOT NULL DEFAULT 0;
CREATE INDEX shipments_poll_due_idx ON shipments (carrier, next_poll_at)
    WHERE tracking_status NOT IN ('delivered', 'return_to_sender', 'cancelled');

-- Every carrier event, normalized, kept even when it does not change the status
-- (late, duplicate-looking or after delivery).
CREATE TABLE tracking_events (
    id           bigserial PRIMARY KEY,
    shipment_id  uuid NOT NULL REFERENCES shipments (id),
    status       text NOT NULL,
    detail       text,
    carrier_code text NOT NULL,
    description  text NOT NULL,
    location     text,
    occurred_at  timestamptz NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now(),
    source       text NOT NULL CHECK (source IN ('webhook', 'poll', 'simulator')),
    receipt_id   uuid REFERENCES carrier_receipts (id),
    -- Whether this event became the shipment's status.
    applied      boolean NOT NULL,
    raw          jsonb NOT NULL,
    UNIQUE (shipment_id, occurred_at, carrier_code, status)
);
CREATE INDEX tracking_events_shipment_idx ON tracking_events (shipment_id, occurred_at, id);

-- Delays and exceptions we detected; the dedupe key holds what makes one
-- materially different from another.
CREATE TABLE shipment_issues (
    id                    uuid PRIMARY KEY,
    shipment_id           uuid NOT NULL REFERENCES shipments (id),
    order_id              uuid NOT NULL REFERENCES orders (id),
    kind                  text NOT NULL CHECK (kind IN ('eta_passed', 'no_scan', 'carrier_exception', 'eta_moved')),
    detail                text,
    description           text NOT NULL,
    estimated_delivery_at timestamptz,
    dedupe_key            text NOT NULL UNIQUE,
    detected_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX shipment_issues_order_idx ON shipment_issues (order_id, detected_at);

-- What shoppers ask for: reschedule, change address, contact support.
CREATE TABLE customer_requests (
    id           uuid PRIMARY KEY,
    order_id     uuid NOT NULL REFERENCES orders (id),
    shipment_id  uuid REFERENCES shipments (id),
    kind         text NOT NULL CHECK (kind IN ('reschedule', 'change_address', 'contact_support')),
    status       text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'rejected')),
    details      jsonb NOT NULL,
    requested_by text NOT NULL,
    resolution   text,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customer_requests_order_idx ON customer_requests (order_id, created_at);
CREATE INDEX customer_requests_open_idx ON customer_requests (created_at) WHERE status = 'open';

-- Append-only: who did what, and security events.
CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    actor       text NOT NULL,
    role        text NOT NULL,
    action      text NOT NULL,
    target_type text,
    target_id   text,
    before      jsonb,
    after       jsonb,
    request_id  text,
    ip          text,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_created_idx ON audit_log (created_at, id);
CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id, created_at);

CREATE FUNCTION audit_log_is_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
