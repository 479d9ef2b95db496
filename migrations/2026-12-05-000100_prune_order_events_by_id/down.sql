CREATE INDEX order_events_created_idx ON order_events (created_at);
