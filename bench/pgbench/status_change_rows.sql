-- The database's side of one status change turned into a sent email: the rows
-- the chain's writers write, in its three transactions (the api's change, the
-- worker's claim, the worker's send record), each one prepared statement
-- (bench/run passes -M prepared, as the chain's statements are), nothing else
-- (no reads, no sequencing of the live events): the database's best case for
-- the same rows. bench/run's second peer of the status-change phase, beside
-- status_change.sql (the issue's peer: the UPDATE and the history row).
-- (In prepared mode pgbench takes any ":word" as a variable, quoted or not.)
\set n random(1, :orders)
WITH o AS (
  UPDATE orders SET status = CASE status WHEN 'shipped' THEN 'delivered' ELSE 'shipped' END,
                    version = version + 1, updated_at = now()
  WHERE id = (SELECT order_id FROM pgbench_orders WHERE n = :n)
  RETURNING id, status, contact_email
), history AS (
  INSERT INTO order_status_history (order_id, from_status, to_status, source, actor, occurred_at)
  SELECT id, 'confirmed', status, 'storefront', 'bench', now() FROM o
), event AS (
  INSERT INTO order_event_inbox (order_id, kind, entry)
  SELECT id, 'status_change', '{"kind": "status_change", "from": "confirmed", "to": "shipped"}' FROM o
), audit AS (
  INSERT INTO audit_log (actor, role, action, target_type, target_id, before, after)
  SELECT 'bench', 'service', 'order.status_change', 'order', id::text,
         '{"status": "confirmed", "version": 1}', '{"status": "shipped", "version": 2}' FROM o
)
-- Not the event bench/run's worker sends (order_shipped), so not its work.
INSERT INTO notifications (id, order_id, event, channel, recipient, locale, queue, dedupe_key)
SELECT gen_random_uuid(), id, 'order_delivered', 'email', contact_email, 'es', 'notifications',
       'pgbench:' || gen_random_uuid()
FROM o
RETURNING id AS notification_id, order_id \gset
UPDATE notifications SET attempts = attempts + 1, locked_until = now() + interval '5 minutes'
WHERE id = :notification_id AND status = 'pending' AND locked_until IS NULL;
WITH attempt AS (
  INSERT INTO notification_attempts (notification_id, attempt, outcome, provider, provider_message_id,
                                     started_at, duration_ms)
  VALUES (:notification_id, 1, 'sent', 'file', '<bench@ordertrack>', now(), 1)
), event AS (
  INSERT INTO order_event_inbox (order_id, kind, staff_only, entry)
  VALUES (:order_id, 'notification', true,
          '{"kind": "notification", "title": "order_delivered email sent", "detail": "sent"}')
)
UPDATE notifications SET status = 'sent', provider_message_id = '<bench@ordertrack>', sent_at = now(),
                         locked_until = NULL, updated_at = now()
WHERE id = :notification_id AND status = 'pending';
