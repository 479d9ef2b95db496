ALTER TABLE customer_requests DROP COLUMN resolved_by;
ALTER TABLE shipments DROP COLUMN rescheduled_to;
UPDATE customer_requests SET status = 'resolved' WHERE status = 'applied';
ALTER TABLE customer_requests DROP CONSTRAINT customer_requests_status_check;
ALTER TABLE customer_requests ADD CONSTRAINT customer_requests_status_check
    CHECK (status IN ('open', 'resolved', 'rejected'));
