-- Best-of-N and screening (owned by the http verticle). With an active reward model an upload may render more
-- candidates than the two a trainer sees. Each experiment says how its two options were chosen, and every candidate
-- of an upload that rendered more than two is kept with what the model predicted: the two shown (with their option,
-- so a prediction can be compared with the rating it got), those left unshown and those screened out.
ALTER TABLE experiments ADD COLUMN selection TEXT NOT NULL DEFAULT 'two-options'
  CHECK (selection IN ('two-options', 'reward-model'));

CREATE TABLE experiment_candidates (
  id               BIGSERIAL PRIMARY KEY,
  experiment_id    TEXT             NOT NULL REFERENCES experiments (id),
  candidate        SMALLINT         NOT NULL CHECK (candidate BETWEEN 1 AND 16),
  -- best: the best predicted; most_uncertain: the most uncertain of the rest; filler: shown only so that two are
  -- shown; unshown: rendered, not shown; screened: predicted confidently bad, not shown.
  role             TEXT             NOT NULL CHECK (role IN ('best', 'most_uncertain', 'filler', 'unshown', 'screened')),
  option           TEXT             CHECK (option IN ('A', 'B')),
  provider         TEXT             NOT NULL,
  api              TEXT             NOT NULL CHECK (api IN ('leonardo', 'stablediffusion')),
  strength         DOUBLE PRECISION NOT NULL CHECK (strength BETWEEN 0.1 AND 0.5),
  guidance_scale   DOUBLE PRECISION NOT NULL CHECK (guidance_scale BETWEEN 5.0 AND 12.0),
  control_weight   DOUBLE PRECISION NOT NULL CHECK (control_weight BETWEEN 0.7 AND 0.99),
  prompt_version   TEXT             NOT NULL REFERENCES prompt_versions (version),
  seed             BIGINT           NOT NULL,
  image_id         BIGINT           REFERENCES images (id),
  image_public_id  TEXT,
  error            TEXT,
  predicted_rating DOUBLE PRECISION CHECK (predicted_rating BETWEEN 1 AND 5),
  uncertainty      DOUBLE PRECISION CHECK (uncertainty >= 0),
  model_version    BIGINT,
  -- the model judged it below the screening bound (a filler may be, when fewer than two passed)
  below_screen     BOOLEAN          NOT NULL DEFAULT false,
  CHECK ((option IS NOT NULL) = (role IN ('best', 'most_uncertain', 'filler'))),
  CHECK ((predicted_rating IS NULL) = (uncertainty IS NULL) AND (predicted_rating IS NULL) = (model_version IS NULL)),
  CHECK (role NOT IN ('best', 'most_uncertain', 'screened') OR predicted_rating IS NOT NULL),
  CHECK (role <> 'screened' OR below_screen),
  UNIQUE (experiment_id, candidate),
  UNIQUE (experiment_id, option)
);
