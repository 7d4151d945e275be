-- The training mode each trainer last chose on the trainer page (owned by the http verticle). The page opens
-- in it after every rating and reload, so a trainer's next upload never falls back to the other study unseen.
ALTER TABLE trainers ADD COLUMN training_mode TEXT CHECK (training_mode IN ('structure', 'surfaces'));
