-- Text-prompt optimisation runs (owned by the textopt verticle). Every step of a run is stored as it ends, so a run
-- whose verticle stopped resumes where it was: the answers already given are read back instead of asked again, a
-- proposal already made is not asked for again, and a decision is written in one transaction with its effects.

CREATE TABLE textopt_runs (
  id                       BIGSERIAL PRIMARY KEY,
  dataset_id               BIGINT           NOT NULL REFERENCES textopt_datasets (id),
  prompt_id                BIGINT           NOT NULL REFERENCES textopt_prompts (id),
  -- the prompt's current version when the run was created: the first incumbent
  start_version            INTEGER          NOT NULL,
  target_metric            TEXT             NOT NULL CHECK (target_metric <> ''),
  metric_options           JSONB            NOT NULL DEFAULT '{}',
  target_threshold         DOUBLE PRECISION NOT NULL CHECK (target_threshold BETWEEN 0 AND 1),
  patience                 INTEGER          NOT NULL CHECK (patience >= 1),
  max_iterations           INTEGER          NOT NULL CHECK (max_iterations >= 1),
  candidates_per_iteration INTEGER          NOT NULL CHECK (candidates_per_iteration >= 1),
  budget_usd               NUMERIC(20, 12)  CHECK (budget_usd > 0),
  margin                   DOUBLE PRECISION NOT NULL CHECK (margin >= 0 AND margin < 1),
  status                   TEXT             NOT NULL DEFAULT 'queued'
    CHECK (status IN ('queued', 'running', 'succeeded', 'stopped', 'failed', 'cancelled')),
  stop_reason              TEXT
    CHECK (stop_reason IN ('threshold', 'patience', 'max_iterations', 'budget', 'cancelled', 'error')),
  -- the incumbent: the best version so far, from which the next iteration starts, and its scores
  best_version             INTEGER,
  best_metrics             JSONB,
  -- iterations in a row that ended without an accepted candidate (the patience count)
  stale_iterations         INTEGER          NOT NULL DEFAULT 0 CHECK (stale_iterations >= 0),
  -- what the run's model calls spent (answers from the response cache cost nothing)
  cost_usd                 NUMERIC(20, 12)  NOT NULL DEFAULT 0 CHECK (cost_usd >= 0),
  tokens                   BIGINT           NOT NULL DEFAULT 0 CHECK (tokens >= 0),
  -- the step under way and how many of its answers are in
  step                     TEXT             NOT NULL DEFAULT 'queued'
    CHECK (step IN ('queued', 'inference', 'optimisation', 'candidates', 'finished')),
  step_done                INTEGER          NOT NULL DEFAULT 0 CHECK (step_done >= 0),
  step_total               INTEGER          NOT NULL DEFAULT 0 CHECK (step_total >= 0),
  error                    TEXT,
  created_by               TEXT             NOT NULL,
  created_at               TIMESTAMPTZ      NOT NULL DEFAULT now(),
  started_at               TIMESTAMPTZ,
  finished_at              TIMESTAMPTZ,
  FOREIGN KEY (prompt_id, start_version) REFERENCES textopt_prompt_versions (prompt_id, version),
  FOREIGN KEY (prompt_id, best_version) REFERENCES textopt_prompt_versions (prompt_id, version),
  CHECK ((status IN ('queued', 'running')) = (finished_at IS NULL)),
  CHECK ((status IN ('queued', 'running')) = (stop_reason IS NULL)),
  CHECK ((status = 'failed') = (error IS NOT NULL)),
  CHECK ((best_version IS NULL) = (best_metrics IS NULL))
);

-- The scheduler's question on every start and every freed slot: which runs are unfinished, oldest first.
CREATE INDEX textopt_runs_unfinished ON textopt_runs (id) WHERE status IN ('queued', 'running');

CREATE TABLE textopt_iterations (
  run_id         BIGINT          NOT NULL REFERENCES textopt_runs (id),
  n              INTEGER         NOT NULL CHECK (n >= 1),
  -- the incumbent the iteration started from
  prompt_version INTEGER         NOT NULL,
  -- its scores on the evaluation rows; null until the inference step has ended
  metrics        JSONB,
  -- the training rows it answered worst, shown to the optimizer model [{row_id, input, expected, got, score}]
  failures       JSONB           NOT NULL DEFAULT '[]',
  -- inference, optimisation, candidates (the proposal is stored), decided
  step           TEXT            NOT NULL DEFAULT 'inference'
    CHECK (step IN ('inference', 'optimisation', 'candidates', 'decided')),
  cost_usd       NUMERIC(20, 12) NOT NULL DEFAULT 0 CHECK (cost_usd >= 0),
  tokens         BIGINT          NOT NULL DEFAULT 0 CHECK (tokens >= 0),
  started_at     TIMESTAMPTZ     NOT NULL DEFAULT now(),
  decided_at     TIMESTAMPTZ,
  PRIMARY KEY (run_id, n),
  CHECK ((step = 'decided') = (decided_at IS NOT NULL))
);

CREATE TABLE textopt_candidates (
  run_id          BIGINT           NOT NULL,
  n               INTEGER          NOT NULL,
  -- the optimizer model's order
  ordinal         INTEGER          NOT NULL CHECK (ordinal >= 1),
  -- the order in which candidates are evaluated (the candidate ordering's, proposal order by default)
  rank            INTEGER          NOT NULL CHECK (rank >= 1),
  prompt_version  INTEGER          NOT NULL,
  rationale       TEXT,
  predicted_gain  DOUBLE PRECISION,
  -- its scores on the evaluation rows once evaluated
  metrics         JSONB,
  accepted        BOOLEAN          NOT NULL DEFAULT false,
  PRIMARY KEY (run_id, n, ordinal),
  UNIQUE (run_id, n, rank),
  FOREIGN KEY (run_id, n) REFERENCES textopt_iterations (run_id, n),
  CHECK (NOT accepted OR metrics IS NOT NULL)
);

-- One answer per (run, prompt version, row): a version answers a row once per run, whichever step asked.
CREATE TABLE textopt_answers (
  run_id         BIGINT           NOT NULL REFERENCES textopt_runs (id),
  prompt_version INTEGER          NOT NULL,
  row_ordinal    INTEGER          NOT NULL,
  answer         TEXT             NOT NULL,
  score          DOUBLE PRECISION NOT NULL CHECK (score BETWEEN 0 AND 1),
  explanation    TEXT,
  -- the response cache answered: the call cost nothing
  cached         BOOLEAN          NOT NULL,
  cost_usd       NUMERIC(20, 12)  NOT NULL CHECK (cost_usd >= 0),
  tokens         INTEGER          NOT NULL CHECK (tokens >= 0),
  created_at     TIMESTAMPTZ      NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, prompt_version, row_ordinal)
);
