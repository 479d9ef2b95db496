-- People of customer service and administration sign in to the console
-- with a password (argon2id) and, optionally or by policy, TOTP; machines
-- keep API tokens. Only hashes of set-password links and session secrets
-- are stored; the TOTP secret is sealed with a key derived from APP_SECRET.
CREATE TABLE staff_users (
    id UUID PRIMARY KEY,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('csr', 'admin')),
    -- argon2id PHC string; NULL until the person sets a password.
    password_hash TEXT,
    totp_sealed BYTEA,
    totp_nonce BYTEA,
    totp_enabled_at TIMESTAMPTZ,
    -- The last TOTP time step accepted: a code works once.
    totp_last_step BIGINT,
    failed_sign_ins INTEGER NOT NULL DEFAULT 0,
    locked_until TIMESTAMPTZ,
    disabled_at TIMESTAMPTZ,
    last_sign_in_at TIMESTAMPTZ,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX staff_users_email ON staff_users (lower(email));

CREATE TABLE staff_password_links (
    link_hash BYTEA PRIMARY KEY,
    user_id UUID NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE staff_sessions (
    id UUID PRIMARY KEY,
    session_hash BYTEA NOT NULL UNIQUE,
    user_id UUID NOT NULL REFERENCES staff_users (id) ON DELETE CASCADE,
    ip TEXT,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    idle_expires_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    ended_at TIMESTAMPTZ,
    ended_by TEXT
);
CREATE INDEX staff_sessions_user ON staff_sessions (user_id);
CREATE INDEX staff_sessions_expires_at ON staff_sessions (expires_at);

-- Customer service claims a request before answering it.
ALTER TABLE customer_requests ADD COLUMN claimed_by TEXT, ADD COLUMN claimed_at TIMESTAMPTZ;
