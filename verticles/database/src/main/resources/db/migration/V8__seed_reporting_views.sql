-- Dashboards and queries written for the seed design (seeds 002-003) name the tables images, enhancement_ratings,
-- parameter_experiments and prompt_versions. Two of those names are our own tables with other columns, so the
-- seed's names live in their own schema: seed_reporting.<name> has the seed's columns, read from our tables.
-- Point a reporting tool at it with search_path = seed_reporting. The views are read-only (a write is refused).
CREATE SCHEMA seed_reporting;

-- The seed numbers prompt versions; ours are named vMAJOR.MINOR.PATCH (each at most 4 digits), so the number
-- MAJOR * 10^8 + MINOR * 10^4 + PATCH is unique, never changes, and sorts like the versions.
CREATE FUNCTION seed_reporting.prompt_version_id(version TEXT) RETURNS BIGINT
  LANGUAGE sql IMMUTABLE STRICT AS $$
  SELECT split_part(substr(version, 2), '.', 1)::bigint * 100000000
       + split_part(version, '.', 2)::bigint * 10000
       + split_part(version, '.', 3)::bigint
$$;

-- image_type is our kind; an image stored on local disk has no bucket (NULL) and its storage key as s3_key.
CREATE VIEW seed_reporting.images AS
SELECT i.id,
       i.project_id,
       i.kind                   AS image_type,
       NULLIF(i.bucket, '')     AS s3_bucket,
       i.storage_key            AS s3_key,
       i.width,
       i.height,
       i.metadata,
       i.parent_image_id
FROM public.images i;

-- One row per rating; image_id is the rated variant.
CREATE VIEW seed_reporting.enhancement_ratings AS
SELECT r.id,
       o.image_id,
       o.option,
       r.rating,
       r.comment                AS comments,
       r.rated_by,
       r.rated_at
FROM public.ratings r
JOIN public.experiment_options o ON o.id = r.option_id;

-- The seed keeps one prompt pair per version; ours has one per API. prompt and negative_prompt are the Leonardo
-- pair (the seed's first); performance_score is the average rating and usage_count the rated samples.
CREATE VIEW seed_reporting.prompt_versions AS
SELECT seed_reporting.prompt_version_id(p.version)   AS id,
       p.version,
       p.document -> 'leonardo' ->> 'prompt'          AS prompt,
       p.document -> 'leonardo' ->> 'negative_prompt' AS negative_prompt,
       p.created_at,
       p.avg_rating                                   AS performance_score,
       p.sample_count                                 AS usage_count
FROM public.prompt_versions p;

-- One row per generated variant (rated or not: rating is NULL until it is rated).
CREATE VIEW seed_reporting.parameter_experiments AS
SELECT o.id,
       o.image_id,
       seed_reporting.prompt_version_id(o.prompt_version) AS prompt_version_id,
       o.strength                                         AS init_strength,
       o.guidance_scale,
       o.control_weight                                   AS controlnet_weight,
       r.rating,
       e.created_at
FROM public.experiment_options o
JOIN public.experiments e ON e.id = o.experiment_id
LEFT JOIN public.ratings r ON r.option_id = o.id;

-- A single-table view is updatable in PostgreSQL; these are reports, so every write is refused.
CREATE FUNCTION seed_reporting.refuse_write() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'seed_reporting.% is a read-only report view', TG_TABLE_NAME
    USING ERRCODE = 'feature_not_supported';
END
$$;
CREATE TRIGGER read_only INSTEAD OF INSERT OR UPDATE OR DELETE ON seed_reporting.images
  FOR EACH ROW EXECUTE FUNCTION seed_reporting.refuse_write();
CREATE TRIGGER read_only INSTEAD OF INSERT OR UPDATE OR DELETE ON seed_reporting.enhancement_ratings
  FOR EACH ROW EXECUTE FUNCTION seed_reporting.refuse_write();
CREATE TRIGGER read_only INSTEAD OF INSERT OR UPDATE OR DELETE ON seed_reporting.prompt_versions
  FOR EACH ROW EXECUTE FUNCTION seed_reporting.refuse_write();
CREATE TRIGGER read_only INSTEAD OF INSERT OR UPDATE OR DELETE ON seed_reporting.parameter_experiments
  FOR EACH ROW EXECUTE FUNCTION seed_reporting.refuse_write();
