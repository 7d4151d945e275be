-- The optimizer separates the prompt's effect from the parameters' (verticles/optimizer/README.md, "Prompt
-- versions"): each observation keeps the prompt version it was rendered with, its experiment (the two arms of an
-- A/B pair share one, rendered at the same parameters) and whether it was an A/B arm. Null for an observation
-- stored without a rating. Existing observations take them from the ratings they were learnt from.
ALTER TABLE optimizer_observations
  ADD COLUMN prompt_version TEXT,
  ADD COLUMN experiment_id  TEXT,
  ADD COLUMN ab_test        BOOLEAN NOT NULL DEFAULT false;

UPDATE optimizer_observations ob
SET prompt_version = v.prompt_version,
    experiment_id  = v.experiment_id,
    ab_test        = v.ab_test_id IS NOT NULL
FROM rated_variants v
WHERE v.rating_id = ob.rating_id;

-- Evolution writes the parameters a study learned into a new patch version of the current prompt and makes it
-- current (verticles/evolution/README.md, "Learned parameters"); that change of the current version is a
-- decision of its own kind.
ALTER TABLE prompt_decisions DROP CONSTRAINT prompt_decisions_kind_check;
ALTER TABLE prompt_decisions ADD CONSTRAINT prompt_decisions_kind_check
  CHECK (kind IN ('ab_test', 'promote', 'rollback', 'sync', 'learned_parameters'));
