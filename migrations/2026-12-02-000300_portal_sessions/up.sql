-- The shopper's web app signs in like Stripe's customer portal: the
-- storefront's backend asks for a single-use link for its signed-in shopper,
-- the shopper's browser trades it for a session cookie. Only SHA-256 hashes
-- of the link code and the session secret are stored.
CREATE TABLE portal_links (
    link_hash BYTEA PRIMARY KEY,
    customer_id UUID NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    locale TEXT NOT NULL,
    return_url TEXT,
    -- The storefront's service token; NULL when issued by `api portal-link`.
    created_by UUID REFERENCES api_tokens (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX portal_links_expires_at ON portal_links (expires_at);

CREATE TABLE portal_sessions (
    id UUID PRIMARY KEY,
    session_hash BYTEA NOT NULL UNIQUE,
    customer_id UUID NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    locale TEXT NOT NULL,
    return_url TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- Renewed on use; the session ends at the earlier of the two.
    idle_expires_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    ended_at TIMESTAMPTZ
);
CREATE INDEX portal_sessions_customer ON portal_sessions (customer_id);
CREATE INDEX portal_sessions_expires_at ON portal_sessions (expires_at);
