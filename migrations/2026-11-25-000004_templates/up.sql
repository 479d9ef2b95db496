-- Versioned notification templates edited by admins. The files under
-- templates/ are each key's first version (seeded when the key is first
-- edited); workers render the active version.
CREATE TABLE notification_templates (
    id         uuid PRIMARY KEY,
    event      text NOT NULL,
    channel    text NOT NULL CHECK (channel IN ('email', 'sms', 'push')),
    locale     text NOT NULL CHECK (locale IN ('en', 'es', 'ro', 'ru')),
    version    integer NOT NULL,
    -- email: subject; push: title; sms: unused.
    subject    text,
    -- email: plain text; sms: the message; push: the body.
    body       text NOT NULL,
    -- email only.
    html       text,
    comment    text NOT NULL,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    active     boolean NOT NULL DEFAULT false,
    UNIQUE (event, channel, locale, version)
);
CREATE UNIQUE INDEX notification_templates_active_idx ON notification_templates (event, channel, locale) WHERE active;

-- Customer service finds orders by email or phone.
CREATE INDEX orders_contact_email_idx ON orders (lower(contact_email));
CREATE INDEX orders_contact_phone_idx ON orders (contact_phone);
