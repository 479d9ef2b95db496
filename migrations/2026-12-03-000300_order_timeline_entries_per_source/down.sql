-- Back to the one jsonb mapping of 2026-12-03-000200_order_timeline.
CREATE FUNCTION order_timeline_entries(source_table text, r jsonb)
RETURNS TABLE (order_id uuid, occurred_at timestamptz, source smallint, serial_id bigint, uuid_id uuid, entry json)
LANGUAGE sql STABLE AS $$
    SELECT (r->>'order_id')::uuid, (r->>'occurred_at')::timestamptz, 0::smallint, (r->>'id')::bigint,
           '00000000-0000-0000-0000-000000000000'::uuid, r::json
     WHERE source_table = 'order_status_history'
    UNION ALL
    SELECT (r->>'order_id')::uuid, (r->>'created_at')::timestamptz, 1::smallint, 0, (r->>'id')::uuid, r::json
     WHERE source_table = 'shipments'
    UNION ALL
    -- The raw carrier payload stays out: the timeline never shows it.
    SELECT s.order_id, (r->>'occurred_at')::timestamptz, 2::smallint, (r->>'id')::bigint,
           '00000000-0000-0000-0000-000000000000'::uuid, (r - 'raw')::json
      FROM shipments s
     WHERE source_table = 'tracking_events' AND s.id = (r->>'shipment_id')::uuid
    UNION ALL
    SELECT (r->>'order_id')::uuid, (r->>'detected_at')::timestamptz, 3::smallint, 0, (r->>'id')::uuid, r::json
     WHERE source_table = 'shipment_issues'
    UNION ALL
    SELECT (r->>'order_id')::uuid, (r->>'created_at')::timestamptz, 4::smallint, 0, (r->>'id')::uuid, r::json
     WHERE source_table = 'customer_requests'
    UNION ALL
    SELECT (r->>'order_id')::uuid, (r->>'updated_at')::timestamptz, 5::smallint, 0, (r->>'id')::uuid, r::json
     WHERE source_table = 'customer_requests' AND r->>'resolved_by' IS NOT NULL
    UNION ALL
    -- With the message it is about: its channel and recipient.
    SELECT (r->>'order_id')::uuid, (r->>'occurred_at')::timestamptz, 6::smallint, (r->>'id')::bigint,
           '00000000-0000-0000-0000-000000000000'::uuid,
           jsonb_build_object('event', r,
               'channel', (SELECT n.channel FROM notifications n WHERE n.id = (r->>'notification_id')::uuid),
               'recipient', (SELECT n.recipient FROM notifications n WHERE n.id = (r->>'notification_id')::uuid))::json
     WHERE source_table = 'notification_events' AND r->>'order_id' IS NOT NULL
$$;

-- A source row changed: its old entries go, its new ones come.
CREATE OR REPLACE FUNCTION order_timeline_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        DELETE FROM order_timeline t
         USING order_timeline_entries(TG_TABLE_NAME, to_jsonb(OLD)) gone
         WHERE (t.order_id, t.occurred_at, t.source, t.serial_id, t.uuid_id)
             = (gone.order_id, gone.occurred_at, gone.source, gone.serial_id, gone.uuid_id);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO order_timeline SELECT * FROM order_timeline_entries(TG_TABLE_NAME, to_jsonb(NEW));
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION order_timeline_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    rows bigint;
BEGIN
    TRUNCATE order_timeline;
    INSERT INTO order_timeline
    SELECT e.* FROM (
        SELECT e.* FROM order_status_history h, order_timeline_entries('order_status_history', to_jsonb(h)) e
        UNION ALL
        SELECT e.* FROM shipments s, order_timeline_entries('shipments', to_jsonb(s)) e
        UNION ALL
        SELECT e.* FROM tracking_events t, order_timeline_entries('tracking_events', to_jsonb(t)) e
        UNION ALL
        SELECT e.* FROM shipment_issues i, order_timeline_entries('shipment_issues', to_jsonb(i)) e
        UNION ALL
        SELECT e.* FROM customer_requests r, order_timeline_entries('customer_requests', to_jsonb(r)) e
        UNION ALL
        SELECT e.* FROM notification_events m, order_timeline_entries('notification_events', to_jsonb(m)) e
    ) e
    ORDER BY e.order_id, e.occurred_at;
    GET DIAGNOSTICS rows = ROW_COUNT;
    RETURN rows;
END
$$;

DROP FUNCTION order_timeline_entries(order_status_history);
DROP FUNCTION order_timeline_entries(shipments);
DROP FUNCTION order_timeline_entries(tracking_events);
DROP FUNCTION order_timeline_entries(shipment_issues);
DROP FUNCTION order_timeline_entries(customer_requests);
DROP FUNCTION order_timeline_entries(notification_events);
