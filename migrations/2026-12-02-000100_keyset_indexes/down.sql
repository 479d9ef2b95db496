DROP INDEX customer_requests_open_idx;
CREATE INDEX customer_requests_open_idx ON customer_requests (created_at) WHERE status = 'open';
DROP INDEX carrier_receipts_status_idx;
DROP INDEX shipments_open_idx;
