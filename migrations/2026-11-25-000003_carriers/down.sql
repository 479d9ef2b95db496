DROP TRIGGER audit_log_no_truncate ON audit_log;
DROP TRIGGER audit_log_no_update ON audit_log;
DROP FUNCTION audit_log_is_append_only();
DROP TABLE audit_log;
DROP TABLE customer_requests;
DROP TABLE shipment_issues;
DROP TABLE tracking_events;
DROP INDEX shipments_poll_due_idx;
ALTER TABLE shipments
    DROP COLUMN tracking_detail,
    DROP COLUMN estimated_delivery_at,
    DROP COLUMN last_event_at,
    DROP COLUMN last_webhook_at,
    DROP COLUMN delivered_at,
    DROP COLUMN next_poll_at,
    DROP COLUMN poll_failures;
DROP TABLE carrier_receipts;
