-- Images get an unguessable public id: 128 random bits, URL-safe base64 without padding (22 characters).
-- Every URL the API and the pages produce uses it; the sequential numeric id stays internal.
-- The random bits come from gen_random_uuid() (pg_strong_random): of each UUID's 16 bytes, byte 6 holds the
-- version and byte 8 the variant, so 14 random bytes are taken from one UUID and 2 from a second.
CREATE FUNCTION promptlab_public_id() RETURNS TEXT LANGUAGE sql VOLATILE AS $$
  SELECT rtrim(translate(encode(substr(a, 1, 6) || substr(a, 8, 1) || substr(a, 10, 7) || substr(b, 1, 2),
                                'base64'), '+/', '-_'), '=')
  FROM (SELECT uuid_send(gen_random_uuid()) AS a, uuid_send(gen_random_uuid()) AS b) AS random_bytes
$$;

-- The default is evaluated per row, so existing images get their own id here and new ones on insert
-- (owned by the generation verticle, which reads it back with the numeric id).
ALTER TABLE images ADD COLUMN public_id TEXT NOT NULL DEFAULT promptlab_public_id()
  CHECK (public_id ~ '^[A-Za-z0-9_-]{22}$');
ALTER TABLE images ADD CONSTRAINT images_public_id_unique UNIQUE (public_id);

-- The http verticle records the public ids it was given beside the numeric ones, so it builds URLs and decides
-- who may fetch an image from its own tables (owner: the experiment's created_by; admins: any).
ALTER TABLE experiments ADD COLUMN original_image_public_id TEXT;
UPDATE experiments e SET original_image_public_id = i.public_id FROM images i WHERE i.id = e.original_image_id;
ALTER TABLE experiments ALTER COLUMN original_image_public_id SET NOT NULL;
CREATE UNIQUE INDEX experiments_original_public_id ON experiments (original_image_public_id);

ALTER TABLE experiment_options ADD COLUMN image_public_id TEXT;
UPDATE experiment_options o SET image_public_id = i.public_id FROM images i WHERE i.id = o.image_id;
ALTER TABLE experiment_options ADD CONSTRAINT experiment_options_public_id_with_image
  CHECK ((image_id IS NULL) = (image_public_id IS NULL));
CREATE UNIQUE INDEX experiment_options_image_public_id ON experiment_options (image_public_id);

-- Trainers see their own history.
CREATE INDEX experiments_created_by ON experiments (created_by, created_at DESC);
