DELETE FROM api_tokens WHERE role = 'analyst';
DELETE FROM staff_sessions WHERE user_id IN (SELECT id FROM staff_users WHERE role = 'analyst');
DELETE FROM staff_password_links WHERE user_id IN (SELECT id FROM staff_users WHERE role = 'analyst');
DELETE FROM staff_users WHERE role = 'analyst';
ALTER TABLE staff_users DROP CONSTRAINT staff_users_role_check,
    ADD CONSTRAINT staff_users_role_check CHECK (role IN ('csr', 'admin'));
ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_role_check,
    ADD CONSTRAINT api_tokens_role_check CHECK (role IN ('customer', 'csr', 'admin', 'service'));
DROP TABLE IF EXISTS notification_daily_rollups;
DROP TABLE IF EXISTS rollup_watermarks;
DROP TABLE IF EXISTS satisfaction_rollups;
DROP TABLE IF EXISTS order_rollups;
DROP TABLE IF EXISTS notification_rollups;
DROP INDEX IF EXISTS order_ratings_rated_idx;
DROP INDEX IF EXISTS shipment_issues_detected_idx;
DROP INDEX IF EXISTS order_status_history_occurred_idx;
DROP INDEX IF EXISTS notifications_sent_idx;
DROP INDEX IF EXISTS notifications_created_idx;
ALTER TABLE orders DROP COLUMN IF EXISTS first_estimated_delivery_at;
