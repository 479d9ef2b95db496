-- The timeline triggers cost 0.5 ms a row (pg_stat_statements: a status
-- history insert took 0.63 ms against 0.11 without them): the one mapping was
-- a SQL function over jsonb with a branch per source, which is never inlined
-- when called from PL/pgSQL, so Postgres planned its seven-way UNION again on
-- every row. Now each source has its own mapping, an overload taking its row
-- type: a single SELECT, inlined into the trigger's statement and planned
-- once per session. The trigger and the rebuild still share it.

CREATE FUNCTION order_timeline_entries(r order_status_history)
RETURNS TABLE (order_id uuid, occurred_at timestamptz, source smallint, serial_id bigint, uuid_id uuid, entry json)
LANGUAGE sql STABLE AS $$
    SELECT r.order_id, r.occurred_at, 0::smallint, r.id, '00000000-0000-0000-0000-000000000000'::uuid, row_to_json(r)
$$;

CREATE FUNCTION order_timeline_entries(r shipments)
RETURNS TABLE (order_id uuid, occurred_at timestamptz, source smallint, serial_id bigint, uuid_id uuid, entry json)
LANGUAGE sql STABLE AS $$
    SELECT r.order_id, r.created_at, 1::smallint, 0::bigint, r.id, row_to_json(r)
$$;

-- The raw carrier payload stays out: the timeline never shows it.
CREATE FUNCTION order_timeline_entries(r tracking_events)
RETURNS TABLE (order_id uuid, occurred_at timestamptz, source smallint, serial_id bigint, uuid_id uuid, entry json)
LANGUAGE sql STABLE AS $$
    SELECT s.order_id, r.occurred_at, 2::smallint, r.id, '00000000-0000-0000-0000-000000000000'::uuid,
           (to_jsonb(r) - 'raw')::json
      FROM shipments s
     WHERE s.id = r.shipment_id
$$;

CREATE FUNCTION order_timeline_entries(r shipment_issues)
RETURNS TABLE (order_id uuid, occurred_at timestamptz, source smallint, serial_id bigint, uuid_id uuid, entry json)
LANGUAGE sql STABLE AS $$
    SELECT r.order_id, r.detected_at, 3::smallint, 0::bigint, r.id, row_to_json(r)
$$;

-- A resolved request stands for two entries: asked, and resolved. (Not a
-- UNION ALL: inlined into the rebuild's own UNION ALL and sorted, that made
-- Postgres 15 fail with "variable not found in subplan target list".)
CREATE FUNCTION order_timeline_entries(r customer_requests)
RETURNS TABLE (order_id uuid, occurred_at timestamptz, source smallint, serial_id bigint, uuid_id uuid, entry json)
LANGUAGE sql STABLE AS $$
    SELECT r.order_id, k.occurred_at, k.source, 0::bigint, r.id, row_to_json(r)
      FROM (VALUES (r.created_at, 4::smallint), (r.updated_at, 5::smallint)) k (occurred_at, source)
     WHERE k.source = 4 OR r.resolved_by IS NOT NULL
$$;

-- What became of a message, with the message's channel and recipient.
CREATE FUNCTION order_timeline_entries(r notification_events)
RETURNS TABLE (order_id uuid, occurred_at timestamptz, source smallint, serial_id bigint, uuid_id uuid, entry json)
LANGUAGE sql STABLE AS $$
    SELECT r.order_id, r.occurred_at, 6::smallint, r.id, '00000000-0000-0000-0000-000000000000'::uuid,
           json_build_object('event', row_to_json(r), 'channel', n.channel, 'recipient', n.recipient)
      FROM (SELECT) one
      LEFT JOIN notifications n ON n.id = r.notification_id
     WHERE r.order_id IS NOT NULL
$$;

-- A source row changed: its old entries go, its new ones come. PL/pgSQL
-- compiles a trigger function once per table and each statement on first
-- use, so a table only ever plans its own branch. The branches are spelled
-- out per table because the cast to the row type must be static: EXECUTE
-- would plan on every row, the cost this migration removes.
CREATE OR REPLACE FUNCTION order_timeline_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        CASE TG_TABLE_NAME
        WHEN 'order_status_history' THEN
            DELETE FROM order_timeline t USING order_timeline_entries(OLD::order_status_history) gone
             WHERE (t.order_id, t.occurred_at, t.source, t.serial_id, t.uuid_id)
                 = (gone.order_id, gone.occurred_at, gone.source, gone.serial_id, gone.uuid_id);
        WHEN 'shipments' THEN
            DELETE FROM order_timeline t USING order_timeline_entries(OLD::shipments) gone
             WHERE (t.order_id, t.occurred_at, t.source, t.serial_id, t.uuid_id)
                 = (gone.order_id, gone.occurred_at, gone.source, gone.serial_id, gone.uuid_id);
        WHEN 'tracking_events' THEN
            DELETE FROM order_timeline t USING order_timeline_entries(OLD::tracking_events) gone
             WHERE (t.order_id, t.occurred_at, t.source, t.serial_id, t.uuid_id)
                 = (gone.order_id, gone.occurred_at, gone.source, gone.serial_id, gone.uuid_id);
        WHEN 'shipment_issues' THEN
            DELETE FROM order_timeline t USING order_timeline_entries(OLD::shipment_issues) gone
             WHERE (t.order_id, t.occurred_at, t.source, t.serial_id, t.uuid_id)
                 = (gone.order_id, gone.occurred_at, gone.source, gone.serial_id, gone.uuid_id);
        WHEN 'customer_requests' THEN
            DELETE FROM order_timeline t USING order_timeline_entries(OLD::customer_requests) gone
             WHERE (t.order_id, t.occurred_at, t.source, t.serial_id, t.uuid_id)
                 = (gone.order_id, gone.occurred_at, gone.source, gone.serial_id, gone.uuid_id);
        WHEN 'notification_events' THEN
            DELETE FROM order_timeline t USING order_timeline_entries(OLD::notification_events) gone
             WHERE (t.order_id, t.occurred_at, t.source, t.serial_id, t.uuid_id)
                 = (gone.order_id, gone.occurred_at, gone.source, gone.serial_id, gone.uuid_id);
        END CASE;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        CASE TG_TABLE_NAME
        WHEN 'order_status_history' THEN
            INSERT INTO order_timeline SELECT * FROM order_timeline_entries(NEW::order_status_history);
        WHEN 'shipments' THEN
            INSERT INTO order_timeline SELECT * FROM order_timeline_entries(NEW::shipments);
        WHEN 'tracking_events' THEN
            INSERT INTO order_timeline SELECT * FROM order_timeline_entries(NEW::tracking_events);
        WHEN 'shipment_issues' THEN
            INSERT INTO order_timeline SELECT * FROM order_timeline_entries(NEW::shipment_issues);
        WHEN 'customer_requests' THEN
            INSERT INTO order_timeline SELECT * FROM order_timeline_entries(NEW::customer_requests);
        WHEN 'notification_events' THEN
            INSERT INTO order_timeline SELECT * FROM order_timeline_entries(NEW::notification_events);
        END CASE;
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
        SELECT e.* FROM order_status_history h, order_timeline_entries(h) e
        UNION ALL
        SELECT e.* FROM shipments s, order_timeline_entries(s) e
        UNION ALL
        SELECT e.* FROM tracking_events t, order_timeline_entries(t) e
        UNION ALL
        SELECT e.* FROM shipment_issues i, order_timeline_entries(i) e
        UNION ALL
        SELECT e.* FROM customer_requests r, order_timeline_entries(r) e
        UNION ALL
        SELECT e.* FROM notification_events m, order_timeline_entries(m) e
    ) e
    ORDER BY e.order_id, e.occurred_at;
    GET DIAGNOSTICS rows = ROW_COUNT;
    RETURN rows;
END
$$;

DROP FUNCTION order_timeline_entries(text, jsonb);
