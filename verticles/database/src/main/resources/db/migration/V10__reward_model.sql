-- Phase 2: the reward verticle owns image_features, variant_structure and reward_models (docs/architecture.md).
-- It learns from the http verticle's published ratings, so that view now names the rated variant's image and its
-- original (columns added at the end: existing readers are unaffected).
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
       e.original_image_id
FROM ratings r
JOIN experiment_options o ON o.id = r.option_id
JOIN experiments e ON e.id = o.experiment_id;
COMMENT ON VIEW rated_variants IS 'Published by the http verticle: one row per rating, rating_id in commit order';

-- The hand-made features of one image by one extractor version, and the embedding of the configured encoder when
-- there is one (its name says which: embeddings of two encoders are never mixed).
CREATE TABLE image_features (
  image_id          BIGINT           NOT NULL REFERENCES images (id) ON DELETE CASCADE,
  extractor_version INT              NOT NULL CHECK (extractor_version > 0),
  names             TEXT[]           NOT NULL,
  feature_values    DOUBLE PRECISION[] NOT NULL CHECK (cardinality(feature_values) = cardinality(names)),
  embedding_model   TEXT,
  embedding         REAL[],
  computed_at       TIMESTAMPTZ      NOT NULL DEFAULT now(),
  PRIMARY KEY (image_id, extractor_version),
  CHECK ((embedding_model IS NULL) = (embedding IS NULL))
);

-- What a variant kept of its original (SSIM, edge overlap, colour shift).
CREATE TABLE variant_structure (
  variant_image_id  BIGINT           NOT NULL REFERENCES images (id) ON DELETE CASCADE,
  original_image_id BIGINT           NOT NULL REFERENCES images (id) ON DELETE CASCADE,
  extractor_version INT              NOT NULL CHECK (extractor_version > 0),
  names             TEXT[]           NOT NULL,
  feature_values    DOUBLE PRECISION[] NOT NULL CHECK (cardinality(feature_values) = cardinality(names)),
  computed_at       TIMESTAMPTZ      NOT NULL DEFAULT now(),
  PRIMARY KEY (variant_image_id, extractor_version)
);

-- Every trained model with its held-out figures; at most one active. The artefact is what prediction needs
-- (input scales and the regression), versioned by its format.
CREATE TABLE reward_models (
  id                        BIGSERIAL   PRIMARY KEY,
  trained_at                TIMESTAMPTZ NOT NULL DEFAULT now(),
  extractor_version         INT         NOT NULL,
  embedding_model           TEXT,
  trained_through_rating_id BIGINT      NOT NULL CHECK (trained_through_rating_id >= 0),
  training_rows             INT         NOT NULL CHECK (training_rows >= 0),
  held_out_rows             INT         NOT NULL CHECK (held_out_rows >= 0),
  metrics                   JSONB,
  active                    BOOLEAN     NOT NULL,
  reason                    TEXT        NOT NULL,
  artefact_format           INT,
  artefact                  BYTEA,
  CHECK (NOT active OR artefact IS NOT NULL)
);
CREATE UNIQUE INDEX reward_models_one_active ON reward_models (active) WHERE active;
