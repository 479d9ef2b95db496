-- A claim no longer moves a notification to 'sending': it takes the lease
-- (`locked_until`) and counts the attempt, and the row stays 'pending'. Those
-- two columns are in no index, so the claim is a HOT update: one new row
-- version on the same page and no index entries, where 'pending -> sending'
-- wrote one in each of the table's five indexes for every message sent.
-- "Sending" is now read as pending with a lease (`Notification::state`).
UPDATE notifications SET status = 'pending' WHERE status = 'sending';
DROP INDEX notifications_sending_idx;
ALTER TABLE notifications
    DROP CONSTRAINT notifications_status_check,
    ADD CONSTRAINT notifications_status_check CHECK (status IN ('pending', 'sent', 'failed'));
