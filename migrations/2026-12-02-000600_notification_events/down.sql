DELETE FROM order_events WHERE kind = 'message_event';
ALTER TABLE order_events DROP CONSTRAINT order_events_kind_check,
    ADD CONSTRAINT order_events_kind_check CHECK (kind IN ('status_change', 'shipment_added', 'carrier_event',
        'issue', 'customer_request', 'request_resolved', 'notification'));
DROP TABLE IF EXISTS order_ratings;
ALTER TABLE notifications DROP COLUMN IF EXISTS links;
DROP TABLE IF EXISTS notification_events;
