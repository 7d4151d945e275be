-- The optimizer's suggestions handed out whose ratings have not arrived yet, per study (at most a few dozen): they keep
-- new suggestions away from the same points until rated or expired. Kept in memory, written here after every change,
-- so an optimizer started elsewhere (a restart, another node of a cluster taking the singleton over) reloads them and
-- does not suggest the same points again. Rewritten whole per study; rows already rated are dropped when reloaded.
CREATE TABLE optimizer_pending (
  study          TEXT             NOT NULL REFERENCES optimizer_studies (study),
  position       INTEGER          NOT NULL CHECK (position >= 0),
  api            TEXT             NOT NULL,
  strength       DOUBLE PRECISION NOT NULL,
  guidance_scale DOUBLE PRECISION NOT NULL,
  control_weight DOUBLE PRECISION NOT NULL,
  expires_at     TIMESTAMPTZ      NOT NULL,
  PRIMARY KEY (study, position)
);
