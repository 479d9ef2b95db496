DROP INDEX orders_contact_phone_idx;
DROP INDEX orders_contact_email_idx;
DROP TABLE notification_templates;
