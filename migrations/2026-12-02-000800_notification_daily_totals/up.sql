-- The daily message roll-ups summed once more per single dimension (or none):
-- a year by channel is 365 x 3 rows to read, not 365 x every group. The
-- series API reads these when it groups by at most one dimension.
CREATE TABLE notification_daily_totals (
    day            date NOT NULL,
    dimension      text NOT NULL CHECK (dimension IN ('all', 'channel', 'event', 'locale', 'carrier')),
    -- The dimension's value ('' for all).
    value          text NOT NULL,
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
    PRIMARY KEY (dimension, day, value)
);
