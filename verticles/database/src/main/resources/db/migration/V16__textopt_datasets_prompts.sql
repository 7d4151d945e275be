-- Text-prompt optimisation (owned by the textopt verticle): datasets of (input, expected) rows split into training
-- and evaluation rows, and text prompts with immutable versions.

CREATE TABLE textopt_datasets (
  id             BIGSERIAL PRIMARY KEY,
  name           TEXT             NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  format         TEXT             NOT NULL CHECK (format IN ('jsonl', 'csv')),
  -- SHA-256 of the uploaded file: the same file twice is the same split
  file_sha256    TEXT             NOT NULL,
  file_bytes     BIGINT           NOT NULL CHECK (file_bytes > 0),
  row_count      INTEGER          NOT NULL CHECK (row_count >= 2),
  train_rows     INTEGER          NOT NULL CHECK (train_rows >= 1),
  eval_rows      INTEGER          NOT NULL CHECK (eval_rows >= 1),
  rejected_count INTEGER          NOT NULL CHECK (rejected_count >= 0),
  -- the refused rows [{line, reason}], at most the first 1000
  rejected       JSONB            NOT NULL DEFAULT '[]',
  eval_ratio     DOUBLE PRECISION NOT NULL CHECK (eval_ratio > 0 AND eval_ratio < 1),
  split_seed     BIGINT           NOT NULL,
  uploaded_by    TEXT             NOT NULL,
  created_at     TIMESTAMPTZ      NOT NULL DEFAULT now(),
  CHECK (train_rows + eval_rows = row_count)
);

CREATE TABLE textopt_dataset_rows (
  dataset_id BIGINT  NOT NULL REFERENCES textopt_datasets (id),
  -- the row's place among the accepted rows, in file order, from 1
  ordinal    INTEGER NOT NULL CHECK (ordinal >= 1),
  -- the line of the file the row starts on
  line       INTEGER NOT NULL CHECK (line >= 1),
  -- the row's own id when the file gives one (unique within the dataset)
  row_id     TEXT,
  input      TEXT    NOT NULL,
  expected   TEXT    NOT NULL,
  metadata   JSONB   NOT NULL DEFAULT '{}',
  split      TEXT    NOT NULL CHECK (split IN ('train', 'eval')),
  PRIMARY KEY (dataset_id, ordinal),
  UNIQUE (dataset_id, row_id)
);

CREATE TABLE textopt_prompts (
  id              BIGSERIAL PRIMARY KEY,
  name            TEXT        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  current_version INTEGER     NOT NULL CHECK (current_version >= 1),
  created_by      TEXT        NOT NULL,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  -- a deleted prompt leaves the lists; its versions stay, since runs refer to them
  deleted_at      TIMESTAMPTZ
);

-- A name names one prompt in use; a deleted prompt's name may be taken again.
CREATE UNIQUE INDEX textopt_prompts_name_in_use ON textopt_prompts (name) WHERE deleted_at IS NULL;

CREATE TABLE textopt_prompt_versions (
  prompt_id      BIGINT      NOT NULL REFERENCES textopt_prompts (id),
  version        INTEGER     NOT NULL CHECK (version >= 1),
  system_prompt  TEXT        NOT NULL CHECK (length(system_prompt) BETWEEN 1 AND 20000),
  output_prompt  TEXT        NOT NULL CHECK (length(output_prompt) <= 20000),
  parent_version INTEGER,
  origin         TEXT        NOT NULL CHECK (origin IN ('manual', 'optimizer')),
  created_by     TEXT        NOT NULL,
  created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (prompt_id, version),
  FOREIGN KEY (prompt_id, parent_version) REFERENCES textopt_prompt_versions (prompt_id, version),
  CHECK ((parent_version IS NULL) = (version = 1))
);
