-- Which ratings the evolution verticle has applied (performance, A/B tallies, triggers). A rating is marked
-- in the same transaction that applies it: a replayed event finds nothing new to count, and a pass that
-- fails or is rolled back leaves its ratings pending, so the next pass (or the next start) applies them.
CREATE TABLE evolution_applied_ratings (
  rating_id  BIGINT      PRIMARY KEY REFERENCES ratings (id),
  applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
