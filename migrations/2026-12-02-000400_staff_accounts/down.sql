ALTER TABLE customer_requests DROP COLUMN claimed_at, DROP COLUMN claimed_by;
DROP TABLE staff_sessions;
DROP TABLE staff_password_links;
DROP TABLE staff_users;
