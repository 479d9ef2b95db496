-- When a token was last accepted; written at most once a minute per token.
ALTER TABLE api_tokens ADD COLUMN last_used_at timestamptz;
