-- The database's side of creating a guest order: the rows ordertrack writes
-- (order, first history row, live-update event, the confirmation's outbox
-- row), nothing else, in one statement: the database's best case.
-- bench/run's peer of POST /api/v1/orders.
WITH o AS (
  INSERT INTO orders (id, order_number, contact_email, locale, status, ship_name, ship_line1, ship_city,
                      ship_postal_code, ship_country, tracking_code)
  VALUES (gen_random_uuid(), 'PGB-' || gen_random_uuid(), 'shopper@example.com', 'es', 'confirmed',
          'Bench Shopper', '1 Bench Street', 'Madrid', '28013', 'ES', substr(md5(random()::text), 1, 12))
  RETURNING id
), history AS (
  INSERT INTO order_status_history (order_id, to_status, source, actor, occurred_at)
  SELECT id, 'confirmed', 'storefront', 'bench', now() FROM o
), event AS (
  INSERT INTO order_event_inbox (order_id, kind, entry)
  SELECT id, 'status_change', '{"kind": "status_change", "to": "confirmed"}' FROM o
)
-- Written as already sent: the same row, but not work for bench/run's worker.
INSERT INTO notifications (id, order_id, event, channel, recipient, locale, queue, dedupe_key, status)
SELECT gen_random_uuid(), id, 'order_confirmed', 'email', 'shopper@example.com', 'es', 'notifications',
       'pgbench:' || id, 'sent'
FROM o
ON CONFLICT DO NOTHING;
