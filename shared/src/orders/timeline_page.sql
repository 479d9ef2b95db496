-- One page of an order's timeline in one statement: who owns the order, its
-- language and country, and the page's entries,
-- one row each, from one index range of order_timeline (kept by triggers
-- from every source; see its migration). An order without entries yet is
-- one row with a NULL entry; no order, no row.
--
-- {cmp} is > (oldest first) or <, {dir} ASC or DESC, {edge} where a page
-- with no cursor starts: -infinity or infinity; {shown} is `true` for staff
-- and `t.source <> 6` for shoppers (no message facts: the partial index).
--   $1 order id   $2..$5 the cursor: when, source, serial id, UUID id
--   $6 rows to read
SELECT o.customer_id, o.locale, o.ship_country, t.source, t.entry::text AS entry
FROM orders o
LEFT JOIN LATERAL (
  SELECT t.source, t.entry, t.occurred_at, t.serial_id, t.uuid_id FROM order_timeline t
  WHERE t.order_id = o.id AND {shown}
    AND (t.occurred_at, t.source, t.serial_id, t.uuid_id) {cmp} (coalesce($2, '{edge}'::timestamptz), $3, $4, $5)
  ORDER BY t.occurred_at {dir}, t.source {dir}, t.serial_id {dir}, t.uuid_id {dir}
  LIMIT $6) t ON true
WHERE o.id = $1
