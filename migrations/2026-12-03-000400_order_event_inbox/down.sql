ALTER TABLE order_events DROP CONSTRAINT order_events_pkey;
ALTER TABLE order_events ADD COLUMN seq_key bigserial PRIMARY KEY;
ALTER TABLE order_events ALTER COLUMN id DROP NOT NULL;
ALTER TABLE order_events ADD CONSTRAINT order_events_id_key UNIQUE (id);
CREATE INDEX order_events_unsequenced_idx ON order_events (seq_key) WHERE id IS NULL;
INSERT INTO order_events (order_id, customer_id, kind, staff_only, entry, created_at)
SELECT order_id, customer_id, kind, staff_only, entry, created_at FROM order_event_inbox ORDER BY seq_key;
DROP TABLE order_event_inbox;
