-- Analytics roll-ups, computed by the worker from the raw tables one time
-- bucket at a time (recomputing a bucket replaces it: same input, same rows).

-- The estimate promised at checkout, kept when a reschedule moves the
-- current one (null: it never moved; the current one is the first).
ALTER TABLE orders ADD COLUMN first_estimated_delivery_at timestamptz;

-- Every roll-up read is bounded in time and served by one of these.
CREATE INDEX notifications_created_idx ON notifications (created_at);
CREATE INDEX notifications_sent_idx ON notifications (sent_at) WHERE sent_at IS NOT NULL;
CREATE INDEX order_status_history_occurred_idx ON order_status_history (occurred_at);
CREATE INDEX shipment_issues_detected_idx ON shipment_issues (detected_at);
CREATE INDEX order_ratings_rated_idx ON order_ratings (rated_at);

-- Messages per hour by channel x event x locale x carrier. Opens and clicks
-- count a message once (its first, by a person or by a machine apart), so
-- sums over any range stay unique. `latency` counts sends by how long after
-- their notification was written the provider accepted them, per bucket of
-- `analytics::histogram::LATENCY_MS`.
CREATE TABLE notification_rollups (
    hour           timestamptz NOT NULL,
    channel        text NOT NULL,
    event          text NOT NULL,
    locale         text NOT NULL,
    -- The order's latest parcel's carrier; '' for none.
    carrier        text NOT NULL,
    queued         integer NOT NULL,
    sent           integer NOT NULL,
    failed         integer NOT NULL,
    delivered      integer NOT NULL,
    bounced        integer NOT NULL,
    opened         integer NOT NULL,
    opened_machine integer NOT NULL,
    clicked        integer NOT NULL,
    unsubscribed   integer NOT NULL,
    complained     integer NOT NULL,
    latency        integer[] NOT NULL,
    PRIMARY KEY (hour, channel, event, locale, carrier)
);

-- The same per day (sums of the day's hours), so a year is read in 365 rows
-- per group rather than 8760.
CREATE TABLE notification_daily_rollups (
    day            date NOT NULL,
    channel        text NOT NULL,
    event          text NOT NULL,
    locale         text NOT NULL,
    carrier        text NOT NULL,
    queued         integer NOT NULL,
    sent           integer NOT NULL,
    failed         integer NOT NULL,
    delivered      integer NOT NULL,
    bounced        integer NOT NULL,
    opened         integer NOT NULL,
    opened_machine integer NOT NULL,
    clicked        integer NOT NULL,
    unsubscribed   integer NOT NULL,
    complained     integer NOT NULL,
    latency        integer[] NOT NULL,
    PRIMARY KEY (day, channel, event, locale, carrier)
);

-- The analyst role: analytics and exports, read-only.
ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_role_check,
    ADD CONSTRAINT api_tokens_role_check CHECK (role IN ('customer', 'csr', 'admin', 'service', 'analyst'));
ALTER TABLE staff_users DROP CONSTRAINT staff_users_role_check,
    ADD CONSTRAINT staff_users_role_check CHECK (role IN ('csr', 'admin', 'analyst'));

-- Orders per day and carrier: how many reached each status, how long they
-- took (per bucket of `analytics::histogram::DURATION_HOURS`), whether they
-- came by the first estimate, delays and exceptions detected, and how early
-- shoppers were warned of a delay.
CREATE TABLE order_rollups (
    day               date NOT NULL,
    carrier           text NOT NULL,
    -- {"shipped": 12, "delivered": 9, ...}
    reached           jsonb NOT NULL,
    to_ship_hours     integer[] NOT NULL,
    to_deliver_hours  integer[] NOT NULL,
    -- Delivered orders that had an estimate, and those delivered by it.
    with_estimate     integer NOT NULL,
    on_time           integer NOT NULL,
    delays            integer NOT NULL,
    exceptions        integer NOT NULL,
    -- Delay warnings sent, those sent before the first estimate, and how
    -- long before it (hours).
    warnings          integer NOT NULL,
    warnings_early    integer NOT NULL,
    warning_lead_hours integer[] NOT NULL,
    PRIMARY KEY (day, carrier)
);

-- Ratings per day given, by whether the order was delayed, whether the
-- shopper was warned before the first estimate, carrier, and the channels
-- that reached them ("email+sms").
CREATE TABLE satisfaction_rollups (
    day       date NOT NULL,
    delayed   boolean NOT NULL,
    warned    boolean NOT NULL,
    carrier   text NOT NULL,
    channels  text NOT NULL,
    ratings   integer NOT NULL,
    score_sum integer NOT NULL,
    -- Ratings of 1, 2, 3, 4 and 5.
    scores    integer[] NOT NULL,
    PRIMARY KEY (day, delayed, warned, carrier, channels)
);

-- How far the incremental roll-up has read `notification_events`
-- (by `recorded_at`): late events are found from here.
CREATE TABLE rollup_watermarks (
    name       text PRIMARY KEY,
    through    timestamptz NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
