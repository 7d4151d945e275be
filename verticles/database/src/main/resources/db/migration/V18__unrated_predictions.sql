-- Published by the http verticle (it owns experiments and experiment_candidates): the best-of-N candidates that were
-- rendered and predicted by the reward model but never shown to a trainer (left unshown, or screened out), with
-- where they were rendered and what the model predicted. The optimizer may learn these predictions as down-weighted
-- observations (verticles/optimizer/README.md, "Predicted ratings as observations"); they are not ratings.
CREATE VIEW unrated_predictions AS
SELECT c.id            AS candidate_id,
       e.id            AS experiment_id,
       e.mode,
       c.role,
       c.api,
       c.strength,
       c.guidance_scale,
       c.control_weight,
       c.prompt_version,
       c.predicted_rating,
       c.uncertainty,
       c.model_version,
       e.created_at
FROM experiment_candidates c
JOIN experiments e ON e.id = c.experiment_id
WHERE c.role IN ('unshown', 'screened')
  AND c.image_id IS NOT NULL
  AND c.predicted_rating IS NOT NULL;
COMMENT ON VIEW unrated_predictions IS
  'Published by the http verticle: unshown best-of-N candidates with the reward model''s predictions';
