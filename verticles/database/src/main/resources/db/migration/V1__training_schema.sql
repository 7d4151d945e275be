-- PromptLab training schema. Constraints, not just code, keep the data consistent.

CREATE TABLE images (
  id              BIGSERIAL PRIMARY KEY,
  kind            TEXT        NOT NULL CHECK (kind IN ('original', 'enhanced')),
  storage         TEXT        NOT NULL CHECK (storage IN ('local', 's3')),
  bucket          TEXT        NOT NULL DEFAULT '',
  storage_key     TEXT        NOT NULL CHECK (storage_key <> '' AND storage_key NOT LIKE '%..%'),
  content_type    TEXT        NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg')),
  width           INTEGER     NOT NULL CHECK (width > 0),
  height          INTEGER     NOT NULL CHECK (height > 0),
  size_bytes      BIGINT      NOT NULL CHECK (size_bytes > 0),
  sha256          TEXT        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  parent_image_id BIGINT      REFERENCES images (id),
  project_id      TEXT        CHECK (char_length(project_id) <= 200),
  site_visit_id   TEXT        CHECK (char_length(site_visit_id) <= 200),
  metadata        JSONB       NOT NULL DEFAULT '{}'::jsonb,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK ((kind = 'original') = (parent_image_id IS NULL)),
  UNIQUE (storage, bucket, storage_key)
);

-- Mirror of prompts/versions/*.json (the files are the source of truth).
CREATE TABLE prompt_versions (
  version        TEXT        PRIMARY KEY CHECK (version ~ '^v[0-9]{1,4}\.[0-9]{1,4}\.[0-9]{1,4}$'),
  parent_version TEXT        REFERENCES prompt_versions (version),
  document       JSONB       NOT NULL,
  is_current     BOOLEAN     NOT NULL DEFAULT FALSE,
  avg_rating     DOUBLE PRECISION CHECK (avg_rating BETWEEN 1 AND 5),
  sample_count   INTEGER     NOT NULL DEFAULT 0 CHECK (sample_count >= 0),
  win_rate       DOUBLE PRECISION CHECK (win_rate BETWEEN 0 AND 1),
  last_used      TIMESTAMPTZ,
  created_at     TIMESTAMPTZ NOT NULL
);
CREATE UNIQUE INDEX prompt_versions_one_current ON prompt_versions (is_current) WHERE is_current;

CREATE TABLE experiments (
  id                TEXT        PRIMARY KEY CHECK (id ~ '^exp_[0-9a-z]{6,40}$'),
  mode              TEXT        NOT NULL CHECK (mode IN ('structure', 'surfaces')),
  original_image_id BIGINT      NOT NULL REFERENCES images (id),
  strategy          TEXT        NOT NULL,
  created_by        TEXT,
  created_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX experiments_created_at ON experiments (created_at DESC);

CREATE TABLE experiment_options (
  id             BIGSERIAL PRIMARY KEY,
  experiment_id  TEXT             NOT NULL REFERENCES experiments (id),
  option         TEXT             NOT NULL CHECK (option IN ('A', 'B')),
  provider       TEXT             NOT NULL,
  api            TEXT             NOT NULL CHECK (api IN ('leonardo', 'stablediffusion')),
  strength       DOUBLE PRECISION NOT NULL CHECK (strength BETWEEN 0.1 AND 0.5),
  guidance_scale DOUBLE PRECISION NOT NULL CHECK (guidance_scale BETWEEN 5.0 AND 12.0),
  control_weight DOUBLE PRECISION NOT NULL CHECK (control_weight BETWEEN 0.7 AND 0.99),
  prompt_version TEXT             NOT NULL REFERENCES prompt_versions (version),
  ab_test_id     BIGINT,
  seed           BIGINT           NOT NULL,
  image_id       BIGINT           REFERENCES images (id),
  status         TEXT             NOT NULL CHECK (status IN ('ready', 'failed')),
  error          TEXT,
  duration_ms    BIGINT           CHECK (duration_ms >= 0),
  CHECK ((status = 'ready') = (image_id IS NOT NULL)),
  UNIQUE (experiment_id, option)
);

CREATE TABLE ratings (
  id        BIGSERIAL PRIMARY KEY,
  option_id BIGINT      NOT NULL UNIQUE REFERENCES experiment_options (id),
  rating    SMALLINT    NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comment   TEXT        CHECK (char_length(comment) <= 2000),
  rated_by  TEXT        NOT NULL CHECK (rated_by <> '' AND char_length(rated_by) <= 320),
  rated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- One row per optimizer study (one per mode).
CREATE TABLE optimizer_studies (
  study               TEXT        PRIMARY KEY CHECK (study IN ('structure', 'surfaces')),
  phase1_completed_at TIMESTAMPTZ,
  phase1_reason       TEXT        CHECK (phase1_reason IN ('samples', 'rating', 'override')),
  model_state         JSONB,
  updated_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK ((phase1_completed_at IS NULL) = (phase1_reason IS NULL))
);
INSERT INTO optimizer_studies (study) VALUES ('structure'), ('surfaces');

-- What the optimizer learns from; written in the same transaction as the rating it comes from.
CREATE TABLE optimizer_observations (
  id             BIGSERIAL PRIMARY KEY,
  study          TEXT             NOT NULL REFERENCES optimizer_studies (study),
  rating_id      BIGINT           UNIQUE REFERENCES ratings (id),
  api            TEXT             NOT NULL CHECK (api IN ('leonardo', 'stablediffusion')),
  strength       DOUBLE PRECISION NOT NULL CHECK (strength BETWEEN 0.1 AND 0.5),
  guidance_scale DOUBLE PRECISION NOT NULL CHECK (guidance_scale BETWEEN 5.0 AND 12.0),
  control_weight DOUBLE PRECISION NOT NULL CHECK (control_weight BETWEEN 0.7 AND 0.99),
  rating         DOUBLE PRECISION NOT NULL CHECK (rating BETWEEN 1 AND 5),
  rater          TEXT,
  observed_at    TIMESTAMPTZ      NOT NULL DEFAULT now()
);
CREATE INDEX optimizer_observations_study ON optimizer_observations (study, id);
