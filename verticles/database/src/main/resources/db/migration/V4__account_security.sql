-- API tokens expire; admins issue one-time password reset codes (owned by the http verticle).
-- Tokens issued before this migration get the default maximum lifetime from now; the http verticle
-- always sets expires_at itself (api_token_max_days), the default is only a backstop.
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMPTZ NOT NULL DEFAULT (now() + interval '365 days');
CREATE INDEX api_tokens_expires ON api_tokens (expires_at);

-- A reset code is stored as its SHA-256 digest only; it works once, until expires_at.
CREATE TABLE password_resets (
  id         BIGSERIAL PRIMARY KEY,
  trainer_id BIGINT      NOT NULL REFERENCES trainers (id) ON DELETE CASCADE,
  code_hash  TEXT        NOT NULL UNIQUE CHECK (code_hash ~ '^[0-9a-f]{64}$'),
  created_by TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  expires_at TIMESTAMPTZ NOT NULL,
  used_at    TIMESTAMPTZ
);
CREATE INDEX password_resets_trainer ON password_resets (trainer_id);
