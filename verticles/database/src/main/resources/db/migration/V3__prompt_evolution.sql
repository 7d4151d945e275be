-- Prompt evolution: evolution runs, A/B tests of prompt versions, decisions about the current version.
-- Every statement that changes the current version, an A/B test or an evolution first locks the single
-- evolution_state row, so these changes are serialised even with concurrent ratings.

CREATE TABLE evolution_state (
  id                       SMALLINT    PRIMARY KEY CHECK (id = 1),
  -- The next periodic checkpoint (every N samples); NULL until the first one is passed.
  next_evolution_at_sample INTEGER     CHECK (next_evolution_at_sample > 0),
  -- Plateau tracking: the best average rating of the current version seen so far, and at which sample.
  best_avg_rating          DOUBLE PRECISION CHECK (best_avg_rating BETWEEN 1 AND 5),
  best_at_sample           INTEGER     NOT NULL DEFAULT 0 CHECK (best_at_sample >= 0),
  -- Sample count when the last evolution or A/B test ended (spacing between evolutions).
  last_finished_at_sample  INTEGER     NOT NULL DEFAULT 0 CHECK (last_finished_at_sample >= 0),
  updated_at               TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO evolution_state (id) VALUES (1);

CREATE TABLE evolutions (
  id                BIGSERIAL   PRIMARY KEY,
  trigger           TEXT        NOT NULL CHECK (trigger IN ('periodic', 'low_performance', 'plateau', 'manual')),
  status            TEXT        NOT NULL CHECK (status IN ('running', 'succeeded', 'refused', 'failed')),
  parent_version    TEXT        NOT NULL REFERENCES prompt_versions (version),
  candidate_version TEXT        REFERENCES prompt_versions (version),
  provider          TEXT        NOT NULL CHECK (char_length(provider) <= 100),
  model             TEXT        CHECK (char_length(model) <= 200),
  at_sample         INTEGER     NOT NULL CHECK (at_sample >= 0),
  parent_avg_rating DOUBLE PRECISION CHECK (parent_avg_rating BETWEEN 1 AND 5),
  issues            JSONB       NOT NULL DEFAULT '[]'::jsonb,
  proposal          JSONB,
  reason            TEXT        CHECK (char_length(reason) <= 2000),
  requested_by      TEXT        CHECK (char_length(requested_by) <= 320),
  started_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  finished_at       TIMESTAMPTZ,
  CHECK ((status = 'running') = (finished_at IS NULL)),
  CHECK ((status = 'succeeded') = (candidate_version IS NOT NULL)),
  CHECK (status IN ('running', 'succeeded') OR reason IS NOT NULL)
);
-- At most one evolution in flight, whatever the application does.
CREATE UNIQUE INDEX evolutions_one_running ON evolutions ((TRUE)) WHERE status = 'running';
CREATE INDEX evolutions_started_at ON evolutions (started_at DESC, id DESC);

CREATE TABLE ab_tests (
  id                BIGSERIAL   PRIMARY KEY,
  evolution_id      BIGINT      UNIQUE REFERENCES evolutions (id),
  control_version   TEXT        NOT NULL REFERENCES prompt_versions (version),
  candidate_version TEXT        NOT NULL REFERENCES prompt_versions (version),
  status            TEXT        NOT NULL CHECK (status IN ('running', 'awaiting_review', 'decided', 'cancelled')),
  samples_per_arm   INTEGER     NOT NULL CHECK (samples_per_arm > 0),
  slots_assigned    BIGINT      NOT NULL DEFAULT 0 CHECK (slots_assigned >= 0),
  -- Tallies of the rated samples of each arm (count, sum, sum of squares), recomputed from the ratings.
  control_count     INTEGER     NOT NULL DEFAULT 0 CHECK (control_count >= 0),
  control_sum       DOUBLE PRECISION NOT NULL DEFAULT 0,
  control_sum_sq    DOUBLE PRECISION NOT NULL DEFAULT 0,
  candidate_count   INTEGER     NOT NULL DEFAULT 0 CHECK (candidate_count >= 0),
  candidate_sum     DOUBLE PRECISION NOT NULL DEFAULT 0,
  candidate_sum_sq  DOUBLE PRECISION NOT NULL DEFAULT 0,
  outcome           TEXT        CHECK (outcome IN ('promoted', 'kept')),
  result            JSONB,
  started_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  ended_at          TIMESTAMPTZ,
  CHECK (control_version <> candidate_version),
  CHECK ((status IN ('running', 'awaiting_review')) = (ended_at IS NULL)),
  CHECK ((status = 'decided') = (outcome IS NOT NULL))
);
-- One open A/B test at a time.
CREATE UNIQUE INDEX ab_tests_one_open ON ab_tests ((TRUE)) WHERE status IN ('running', 'awaiting_review');

ALTER TABLE experiment_options
  ADD CONSTRAINT experiment_options_ab_test_id_fkey FOREIGN KEY (ab_test_id) REFERENCES ab_tests (id);
CREATE INDEX experiment_options_ab_test ON experiment_options (ab_test_id) WHERE ab_test_id IS NOT NULL;
CREATE INDEX experiment_options_prompt_version ON experiment_options (prompt_version);

-- Every change of the current version (and every A/B verdict, even "keep"), with its statistics.
CREATE TABLE prompt_decisions (
  id           BIGSERIAL   PRIMARY KEY,
  kind         TEXT        NOT NULL CHECK (kind IN ('ab_test', 'promote', 'rollback', 'sync')),
  ab_test_id   BIGINT      REFERENCES ab_tests (id),
  from_version TEXT        REFERENCES prompt_versions (version),
  to_version   TEXT        NOT NULL REFERENCES prompt_versions (version),
  outcome      TEXT        NOT NULL CHECK (outcome IN ('promoted', 'kept', 'awaiting_review', 'rolled_back',
                                                       'cancelled', 'synced')),
  statistics   JSONB       NOT NULL DEFAULT '{}'::jsonb,
  decided_by   TEXT        NOT NULL CHECK (decided_by <> '' AND char_length(decided_by) <= 320),
  reason       TEXT        NOT NULL CHECK (char_length(reason) <= 2000),
  decided_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  CHECK (kind <> 'ab_test' OR ab_test_id IS NOT NULL)
);
CREATE INDEX prompt_decisions_to_version ON prompt_decisions (to_version, id DESC);
