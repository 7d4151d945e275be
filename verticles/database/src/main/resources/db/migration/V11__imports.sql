-- Historical enhancements imported from a manifest (http owns both tables, docs/architecture.md). An imported row
-- is an ordinary experiment with one option and its rating, so every reader of rated_variants learns it; these
-- tables keep where it came from and make a second import of the same row add nothing.
CREATE TABLE imports (
  id               BIGSERIAL   PRIMARY KEY,
  manifest_name    TEXT        NOT NULL CHECK (char_length(manifest_name) <= 255),
  manifest_sha256  TEXT        NOT NULL CHECK (manifest_sha256 ~ '^[0-9a-f]{64}$'),
  format           TEXT        NOT NULL CHECK (format IN ('csv', 'jsonl')),
  imported_by      TEXT        NOT NULL CHECK (imported_by <> '' AND char_length(imported_by) <= 320),
  started_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  -- NULL while it runs (or when the process stopped during it: the rows stored so far are kept).
  finished_at      TIMESTAMPTZ,
  -- A manifest sent in parts (the import command's batches) is one import per part; its rows keep their numbers.
  first_row        INT         NOT NULL DEFAULT 1 CHECK (first_row > 0),
  total_rows       INT         NOT NULL CHECK (total_rows >= 0),
  accepted         INT         NOT NULL DEFAULT 0 CHECK (accepted >= 0),
  already_imported INT         NOT NULL DEFAULT 0 CHECK (already_imported >= 0),
  refused          JSONB       NOT NULL DEFAULT '[]'::jsonb
);

-- One row per experiment an import created. row_key is the row's identity (its images by content and its fields),
-- unique across all imports.
CREATE TABLE imported_experiments (
  experiment_id TEXT   PRIMARY KEY REFERENCES experiments (id),
  import_id     BIGINT NOT NULL REFERENCES imports (id),
  source_row    INT    NOT NULL CHECK (source_row > 0),
  row_key       TEXT   NOT NULL UNIQUE CHECK (row_key ~ '^[0-9a-f]{64}$')
);
CREATE INDEX imported_experiments_import ON imported_experiments (import_id);

-- The published view names the import of an imported rating (NULL for a trainer's); added at the end, so existing
-- readers are unaffected.
CREATE OR REPLACE VIEW rated_variants AS
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
       r.rated_at,
       o.image_id       AS variant_image_id,
       e.original_image_id,
       i.import_id
FROM ratings r
JOIN experiment_options o ON o.id = r.option_id
JOIN experiments e ON e.id = o.experiment_id
LEFT JOIN imported_experiments i ON i.experiment_id = e.id;
COMMENT ON VIEW rated_variants IS 'Published by the http verticle: one row per rating, rating_id in commit order';
