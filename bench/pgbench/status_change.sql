-- The database's side of one order status change, as the issue defines the
-- peer: one UPDATE of the order and one INSERT into its history, in one
-- transaction, on a random order of the bench's own. bench/run's peer of
-- POST /orders/{id}/status (which also writes the event and the outbox row).
-- The UPDATE changes the status, as the real one does: status is indexed, so
-- it is not a HOT update (bench/pgbench/status_change_hot.sql, which leaves
-- the status alone, is reported beside it).
\set n random(1, :orders)
BEGIN;
UPDATE orders SET status = CASE status WHEN 'shipped' THEN 'delivered' ELSE 'shipped' END,
                  version = version + 1, updated_at = now()
  WHERE id = (SELECT order_id FROM pgbench_orders WHERE n = :n);
INSERT INTO order_status_history (order_id, from_status, to_status, source, actor, occurred_at)
  SELECT order_id, 'shipped', 'shipped', 'admin', 'bench', now() FROM pgbench_orders WHERE n = :n;
COMMIT;
