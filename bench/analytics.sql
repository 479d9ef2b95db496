-- bench/analytics's data set, in the database it just migrated:
--   10,000 orders with a parcel each (three carriers);
--   1,000,000 messages over the last 30 days, and 10,000,000 facts about them
--   (delivered, opened by people and machines, clicked, bounced, ...), each
--   recorded when it happened, as the live system would have;
--   a year of hourly message roll-ups: 8,760 hours x 288 groups
--   (3 channels x 6 events x 4 locales x 4 carriers).
\set ON_ERROR_STOP on
SET synchronous_commit = off;

INSERT INTO orders (id, order_number, contact_email, locale, status, ship_name, ship_line1, ship_city,
                    ship_postal_code, ship_country, tracking_code, created_at, updated_at)
SELECT gen_random_uuid(), 'AN-' || g, 'shopper' || g || '@example.com', (ARRAY['en', 'es', 'ro', 'ru'])[1 + g % 4],
       'shipped', 'Bench Shopper', '1 Bench Street', 'Madrid', '28013', 'ES', substr(md5(g::text), 1, 12),
       now() - interval '31 days', now() - interval '31 days'
  FROM generate_series(1, 10000) g;

INSERT INTO shipments (id, order_id, carrier, tracking_number, created_at, updated_at)
SELECT gen_random_uuid(), id, (ARRAY['fedex', 'ups', 'dhl'])[1 + abs(hashtext(id::text)) % 3],
       'AN' || lpad(row_number() OVER ()::text, 10, '0'), created_at, created_at
  FROM orders;

CREATE TEMP TABLE order_ids AS SELECT array_agg(id) AS ids FROM orders;

INSERT INTO notifications (id, order_id, event, channel, recipient, locale, queue, status, attempts, dedupe_key,
                           created_at, updated_at, sent_at)
SELECT gen_random_uuid(), ids[1 + g % 10000],
       (ARRAY['order_confirmed', 'order_shipped', 'out_for_delivery', 'delivered', 'delayed', 'delivery_exception'])[1 + g % 6],
       (ARRAY['email', 'email', 'sms', 'push'])[1 + g % 4], 'bench', (ARRAY['en', 'es', 'ro', 'ru'])[1 + (g / 7) % 4],
       'notifications', 'sent', 1, 'an-' || g, at, at, at + (g % 5000) * interval '1 millisecond'
  FROM generate_series(1, 1000000) g, order_ids,
       LATERAL (SELECT now() - (1000000 - g) * interval '2592 milliseconds' AS at) t;

INSERT INTO notification_events (notification_id, order_id, kind, machine, provider, occurred_at, recorded_at)
SELECT n.id, n.order_id, (ARRAY['delivered', 'opened', 'opened', 'clicked', 'opened', 'clicked', 'delivered',
                                'bounced', 'opened', 'unsubscribed'])[k],
       k = 2, 'bench', least(n.created_at + k * interval '20 seconds', now()), least(n.created_at + k * interval '20 seconds', now())
  FROM notifications n, generate_series(1, 10) k;

INSERT INTO notification_rollups
SELECT hour, channel, event, locale, carrier, 40, 39, 1, 37, 1, 20, 6, 8, 0, 0,
       ARRAY[5, 10, 10, 6, 4, 2, 1, 1, 0, 0, 0, 0, 0]
  FROM generate_series(date_trunc('hour', now()) - interval '8760 hours', date_trunc('hour', now()) - interval '1 hour', interval '1 hour') hour,
       unnest(ARRAY['email', 'sms', 'push']) channel,
       unnest(ARRAY['order_confirmed', 'order_shipped', 'out_for_delivery', 'delivered', 'delayed', 'delivery_exception']) event,
       unnest(ARRAY['en', 'es', 'ro', 'ru']) locale,
       unnest(ARRAY['', 'fedex', 'ups', 'dhl']) carrier
ON CONFLICT DO NOTHING;

ANALYZE;
