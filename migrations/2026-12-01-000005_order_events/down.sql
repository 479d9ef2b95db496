DROP TABLE stream_tickets;
DROP TABLE order_events;
DROP SEQUENCE order_event_ids;
