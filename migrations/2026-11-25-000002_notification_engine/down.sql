DROP TABLE provider_events;
DROP INDEX notifications_failed_idx;
DROP INDEX notifications_provider_message_idx;
ALTER TABLE notifications
    DROP CONSTRAINT notifications_check,
    DROP COLUMN customer_id,
    DROP COLUMN device_token_id,
    DROP COLUMN payload,
    DROP COLUMN replay_base_attempts,
    DROP COLUMN delivery_status,
    DROP COLUMN delivered_at;
DELETE FROM notification_attempts WHERE notification_id IN (SELECT id FROM notifications WHERE order_id IS NULL);
DELETE FROM notifications WHERE order_id IS NULL;
ALTER TABLE notifications ALTER COLUMN order_id SET NOT NULL;
DROP TABLE channel_opt_outs;
DROP TABLE device_tokens;
DROP TABLE phone_verifications;
DROP TABLE notification_preferences;
DROP INDEX orders_tracking_code_idx;
ALTER TABLE orders DROP COLUMN tracking_code;
ALTER TABLE customers DROP COLUMN phone_verified_at;
