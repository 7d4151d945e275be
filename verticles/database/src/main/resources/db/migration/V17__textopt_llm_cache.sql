-- The text-prompt optimiser's response cache (owned by the textopt verticle): one model answer per request digest,
-- so a re-run that asks a model the same thing (same model, messages and parameters) is answered from here and costs
-- nothing. The digest is SHA-256 over the request (dev.promptlab.llm.RequestDigest); the request itself is not kept.
-- Each entry keeps the usage and cost of the call that produced it, and counts the calls it answered since, so the
-- tokens and dollars saved are hits times the entry's figures.
CREATE TABLE textopt_llm_cache (
  digest            CHAR(64)       PRIMARY KEY CHECK (digest ~ '^[0-9a-f]{64}$'),
  model             TEXT           NOT NULL CHECK (model <> ''),
  content           TEXT           NOT NULL,
  finish_reason     TEXT,
  -- the model as the server named it in its answer (may be more precise than the one asked)
  answered_model    TEXT,
  -- false when the server reported no usage: the token counts and the cost are then 0
  usage_reported    BOOLEAN        NOT NULL,
  prompt_tokens     INTEGER        NOT NULL CHECK (prompt_tokens >= 0),
  cached_prompt_tokens INTEGER     NOT NULL CHECK (cached_prompt_tokens BETWEEN 0 AND prompt_tokens),
  completion_tokens INTEGER        NOT NULL CHECK (completion_tokens >= 0),
  cost_usd          NUMERIC(20, 12) NOT NULL CHECK (cost_usd >= 0),
  hits              BIGINT         NOT NULL DEFAULT 0 CHECK (hits >= 0),
  created_at        TIMESTAMPTZ    NOT NULL DEFAULT now(),
  last_hit_at       TIMESTAMPTZ,
  CHECK (usage_reported OR (prompt_tokens = 0 AND completion_tokens = 0 AND cost_usd = 0))
);
