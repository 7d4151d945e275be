-- One owner per table (docs/architecture.md). The http verticle owns experiments, experiment_options and ratings;
-- other verticles read ratings only through this view, its published interface: one row per stored rating with
-- what produced the rated variant. rating_id grows in commit order (the http verticle inserts ratings one
-- transaction at a time), so a reader can keep a high-water mark and catch up with "rating_id > mark".
CREATE VIEW rated_variants AS
SELECT r.id             AS rating_id,
       e.id             AS experiment_id,
       e.mode,
       o.option,
       o.api,
       o.strength,
       o.guidance_scale,
       o.control_weight,
       o.prompt_version,
       o.ab_test_id,
       r.rating,
       r.comment,
       r.rated_by,
       r.rated_at
FROM ratings r
JOIN experiment_options o ON o.id = r.option_id
JOIN experiments e ON e.id = o.experiment_id;
COMMENT ON VIEW rated_variants IS 'Published by the http verticle: one row per rating, rating_id in commit order';

-- The optimizer owns optimizer_studies and optimizer_observations and learns from rated_variants by itself: each
-- study keeps the highest rating id it has turned into an observation, stored in the transaction that inserts them.
-- Until now every rating's observation was written with the rating, so each study has seen up to its newest one.
ALTER TABLE optimizer_studies ADD COLUMN observed_through_rating_id BIGINT NOT NULL DEFAULT 0
  CHECK (observed_through_rating_id >= 0);
UPDATE optimizer_studies s SET observed_through_rating_id =
  COALESCE((SELECT max(o.rating_id) FROM optimizer_observations o WHERE o.study = s.study), 0);
