-- The login throttle's counts (verticles/http, LoginLimiter's rules) when the nodes of a cluster share them, so guesses
-- spread over several nodes count once. A single process keeps them in memory and leaves these tables empty.
-- Every change of one account's rows happens under a transaction-scoped advisory lock on that account.

-- Per (account, client address): failures since the pair's last success, and the last attempt.
CREATE TABLE login_pairs (
  account  TEXT        NOT NULL,
  address  TEXT        NOT NULL,
  failures INTEGER     NOT NULL CHECK (failures >= 1),
  last_at  TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (account, address)
);
CREATE INDEX login_pairs_last_at ON login_pairs (last_at);

-- Every attempt counted against an account (all addresses), removed when it succeeds or leaves the window.
CREATE TABLE login_account_failures (
  id      BIGSERIAL   PRIMARY KEY,
  account TEXT        NOT NULL,
  at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX login_account_failures_account_at ON login_account_failures (account, at);

-- The addresses that logged into an account (its most recent few), which may still try past the account ceiling.
CREATE TABLE login_known_addresses (
  account         TEXT        NOT NULL,
  address         TEXT        NOT NULL,
  last_success_at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (account, address)
);
