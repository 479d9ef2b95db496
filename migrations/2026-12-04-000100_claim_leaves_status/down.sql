ALTER TABLE notifications
    DROP CONSTRAINT notifications_status_check,
    ADD CONSTRAINT notifications_status_check CHECK (status IN ('pending', 'sending', 'sent', 'failed'));
UPDATE notifications SET status = 'sending' WHERE status = 'pending' AND locked_until IS NOT NULL;
CREATE INDEX notifications_sending_idx ON notifications (locked_until) WHERE status = 'sending';
