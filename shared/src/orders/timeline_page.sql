-- One page of an order's timeline in one statement: who owns the order, its
-- language and country, the shopper's time zone, and each source of the page
-- as a JSON array. The sources that grow without bound (status history,
-- carrier scans, message facts) are keyset seeks on their
-- (key, occurred_at, id) indexes, at most $8 rows each; the bounded ones
-- (parcels, issues, requests: a handful per order) are read whole.
--
-- {cmp} is > (oldest first) or <, {dir} ASC or DESC, {edge} where a source
-- with no cursor starts: -infinity or infinity.
--   $1 order id   $2, $3 history seek   $4, $5 scans seek   $6, $7 messages seek
--   $8 rows per source   $9 staff (reads the message facts)
SELECT o.customer_id, o.locale, o.ship_country,
  (SELECT p.time_zone FROM notification_preferences p WHERE p.customer_id = o.customer_id) AS time_zone,
  (SELECT coalesce(json_agg(h), '[]') FROM (
     SELECT h.* FROM order_status_history h
     WHERE h.order_id = $1 AND (h.occurred_at, h.id) {cmp} (coalesce($2, '{edge}'::timestamptz), $3)
     ORDER BY h.occurred_at {dir}, h.id {dir} LIMIT $8) h)::text AS history,
  (SELECT coalesce(json_agg(s), '[]') FROM shipments s WHERE s.order_id = $1)::text AS shipments,
  (SELECT coalesce(json_agg(e), '[]') FROM shipments s CROSS JOIN LATERAL (
     SELECT e.id, e.shipment_id, e.status, e.detail, e.carrier_code, e.description, e.location,
            e.occurred_at, e.recorded_at, e.source, e.receipt_id, e.applied
     FROM tracking_events e
     WHERE e.shipment_id = s.id AND (e.occurred_at, e.id) {cmp} (coalesce($4, '{edge}'::timestamptz), $5)
     ORDER BY e.occurred_at {dir}, e.id {dir} LIMIT $8) e
   WHERE s.order_id = $1)::text AS scans,
  (SELECT coalesce(json_agg(i), '[]') FROM shipment_issues i WHERE i.order_id = $1)::text AS issues,
  (SELECT coalesce(json_agg(r), '[]') FROM customer_requests r WHERE r.order_id = $1)::text AS requests,
  (SELECT coalesce(json_agg(json_build_object('event', m, 'channel', n.channel, 'recipient', n.recipient)), '[]')
   FROM (
     SELECT m.* FROM notification_events m
     WHERE $9 AND m.order_id = $1 AND (m.occurred_at, m.id) {cmp} (coalesce($6, '{edge}'::timestamptz), $7)
     ORDER BY m.occurred_at {dir}, m.id {dir} LIMIT $8) m
   LEFT JOIN notifications n ON n.id = m.notification_id)::text AS messages
FROM orders o
WHERE o.id = $1
