-- Trainer accounts, browser sessions and API tokens (owned by the http verticle).
-- Admin is not stored: an account is admin while its email is listed in TRAINING_ADMIN_EMAILS.
-- Secrets are never stored: passwords as PBKDF2 hashes, session and API tokens as SHA-256 digests.

CREATE TABLE trainers (
  id            BIGSERIAL PRIMARY KEY,
  email         TEXT        NOT NULL UNIQUE
                CHECK (email = lower(email) AND char_length(email) BETWEEN 3 AND 320 AND email ~ '^[^@[:space:]]+@[^@[:space:]]+$'),
  display_name  TEXT        CHECK (char_length(display_name) <= 200),
  password_hash TEXT        NOT NULL CHECK (password_hash LIKE 'pbkdf2-sha256$%'),
  disabled_at   TIMESTAMPTZ,
  created_by    TEXT,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE sessions (
  token_hash TEXT        PRIMARY KEY CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  trainer_id BIGINT      NOT NULL REFERENCES trainers (id) ON DELETE CASCADE,
  csrf_token TEXT        NOT NULL CHECK (char_length(csrf_token) >= 32),
  created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sessions_trainer ON sessions (trainer_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE api_tokens (
  id           BIGSERIAL PRIMARY KEY,
  trainer_id   BIGINT      NOT NULL REFERENCES trainers (id) ON DELETE CASCADE,
  name         TEXT        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
  token_hash   TEXT        NOT NULL UNIQUE CHECK (token_hash ~ '^[0-9a-f]{64}$'),
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  last_used_at TIMESTAMPTZ,
  revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_tokens_trainer ON api_tokens (trainer_id);
