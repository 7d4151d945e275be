-- The training mode each trainer last chose on the trainer page (owned by the http verticle). The page opens
-- in it after every rating and reload, so a trainer's next upload never falls back to the other study unseen.
ALTER TABLE trainers ADD COLUMN training_mode TEXT CHECK (training_mode IN ('structure', 'surfaces'));

-- A pair the trainer could not judge is set aside with a reason instead of being left unrated (owned by http).
ALTER TABLE experiments
  ADD COLUMN skipped_at  TIMESTAMPTZ,
  ADD COLUMN skip_reason TEXT CHECK (skip_reason IN ('cannot_judge', 'images_broken', 'unsuitable_render', 'other')),
  ADD CONSTRAINT experiments_skip_has_reason CHECK ((skipped_at IS NULL) = (skip_reason IS NULL));
