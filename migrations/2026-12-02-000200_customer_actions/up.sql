-- Address changes apply at once: the request is recorded as `applied`.
ALTER TABLE customer_requests DROP CONSTRAINT customer_requests_status_check;
ALTER TABLE customer_requests ADD CONSTRAINT customer_requests_status_check
    CHECK (status IN ('open', 'applied', 'resolved', 'rejected'));

-- The delivery date customer service agreed with the carrier: later carrier
-- estimates never move the parcel's estimate before it.
ALTER TABLE shipments ADD COLUMN rescheduled_to date;

-- Who closed a request (the timeline names them to staff).
ALTER TABLE customer_requests ADD COLUMN resolved_by text;
