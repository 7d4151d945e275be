package dev.promptlab.http.accounts;

import dev.promptlab.http.web.ApiError;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every SQL statement about accounts: trainers, sessions (stored as token digests with their CSRF
 * token) and API tokens (digests). The launcher's first-admin command uses {@link #create} too.
 */
public final class AccountStore {

  private static final String INSERT_TRAINER =
    "INSERT INTO trainers (email, display_name, password_hash, created_by) VALUES ($1, $2, $3, $4)"
      + " RETURNING id, email, display_name, disabled_at, created_at";
  private static final String CREDENTIALS =
    "SELECT id, email, display_name, password_hash, disabled_at FROM trainers WHERE email = $1";
  private static final String LIST_TRAINERS =
    "SELECT t.id, t.email, t.display_name, t.disabled_at, t.created_at, r.ratings, r.ratings_today, r.last_rated_at"
      + " FROM trainers t LEFT JOIN LATERAL (SELECT count(*) AS ratings,"
      + " count(*) FILTER (WHERE rated_at >= date_trunc('day', now())) AS ratings_today, max(rated_at) AS last_rated_at"
      + " FROM ratings WHERE rated_by = t.email) r ON TRUE ORDER BY t.email";
  private static final String RATING_ACTIVITY =
    "SELECT count(*) FILTER (WHERE rated_by = $1) AS mine,"
      + " count(*) FILTER (WHERE rated_by = $1 AND rated_at >= date_trunc('day', now())) AS mine_today,"
      + " count(*) FILTER (WHERE rated_at >= date_trunc('day', now())) AS team_today, count(*) AS team FROM ratings";
  private static final String SET_DISPLAY_NAME = "UPDATE trainers SET display_name = $2 WHERE id = $1 RETURNING id";
  private static final String SET_DISABLED =
    "UPDATE trainers SET disabled_at = CASE WHEN $2 THEN coalesce(disabled_at, now()) ELSE NULL END WHERE id = $1"
      + " RETURNING email";
  private static final String END_SESSIONS_OF = "DELETE FROM sessions WHERE trainer_id = $1";
  private static final String INSERT_SESSION =
    "INSERT INTO sessions (token_hash, trainer_id, csrf_token, expires_at) VALUES ($1, $2, $3, now() + $4 * interval '1 second')";
  private static final String SESSION_OWNER =
    "SELECT t.id, t.email, t.display_name, s.csrf_token FROM sessions s JOIN trainers t ON t.id = s.trainer_id"
      + " WHERE s.token_hash = $1 AND s.expires_at > now() AND t.disabled_at IS NULL";
  private static final String END_SESSION = "DELETE FROM sessions WHERE token_hash = $1";
  private static final String END_EXPIRED = "DELETE FROM sessions WHERE expires_at <= now()";
  private static final String INSERT_TOKEN =
    "INSERT INTO api_tokens (trainer_id, name, token_hash, expires_at) VALUES ($1, $2, $3, now() + $4 * interval '1 second')"
      + " RETURNING id, expires_at";
  private static final String TOKEN_OWNER =
    "UPDATE api_tokens a SET last_used_at = now() FROM trainers t WHERE a.token_hash = $1 AND a.revoked_at IS NULL"
      + " AND a.expires_at > now() AND t.id = a.trainer_id AND t.disabled_at IS NULL RETURNING t.id, t.email, t.display_name";
  private static final String LIST_TOKENS =
    "SELECT id, name, created_at, last_used_at, expires_at, expires_at <= now() AS expired FROM api_tokens"
      + " WHERE trainer_id = $1 AND revoked_at IS NULL ORDER BY created_at DESC, id DESC";
  private static final String REVOKE_TOKEN =
    "UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND trainer_id = $2 AND revoked_at IS NULL RETURNING id";
  private static final String HASH_BY_ID = "SELECT password_hash FROM trainers WHERE id = $1 AND disabled_at IS NULL";
  private static final String SET_PASSWORD = "UPDATE trainers SET password_hash = $2 WHERE id = $1";
  private static final String END_OTHER_SESSIONS = "DELETE FROM sessions WHERE trainer_id = $1 AND token_hash <> $2";
  private static final String END_UNUSED_RESETS = "DELETE FROM password_resets WHERE trainer_id = $1 AND used_at IS NULL";
  private static final String INSERT_RESET =
    "INSERT INTO password_resets (trainer_id, code_hash, created_by, expires_at)"
      + " SELECT id, $2, $3, now() + $4 * interval '1 second' FROM trainers WHERE id = $1 RETURNING expires_at";
  private static final String RESET_OWNER =
    "SELECT t.email FROM password_resets r JOIN trainers t ON t.id = r.trainer_id"
      + " WHERE r.code_hash = $1 AND r.used_at IS NULL AND r.expires_at > now()";
  private static final String USE_RESET =
    "UPDATE password_resets SET used_at = now() WHERE code_hash = $1 AND used_at IS NULL AND expires_at > now()"
      + " RETURNING trainer_id";

  private static final String TRAINING_MODE = "SELECT training_mode FROM trainers WHERE id = $1";
  private static final String SET_TRAINING_MODE = "UPDATE trainers SET training_mode = $2 WHERE id = $1";

  private final Pool pool;

  public AccountStore(Pool pool) {
    this.pool = pool;
  }

  /** Inserts the account; 409 when the email already has one. */
  public Future<Trainer> create(NewAccount account, String createdBy) {
    return pool.preparedQuery(INSERT_TRAINER)
      .execute(Tuple.of(account.email(), account.displayName(), account.passwordHash(), createdBy))
      .map(rows -> {
        Row row = rows.iterator().next();
        return new Trainer(row.getLong("id"), row.getString("email"), row.getString("display_name"),
          row.getOffsetDateTime("disabled_at") != null, row.getOffsetDateTime("created_at"), 0, 0, null);
      })
      .recover(failure -> failure instanceof PgException pg && "23505".equals(pg.getSqlState())
        ? Future.failedFuture(ApiError.conflict("an account for " + account.email() + " already exists"))
        : Future.failedFuture(failure));
  }

  public Future<Optional<StoredCredentials>> credentials(String email) {
    return pool.preparedQuery(CREDENTIALS).execute(Tuple.of(email)).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      return Optional.of(new StoredCredentials(row.getLong("id"), row.getString("email"), row.getString("display_name"),
        row.getString("password_hash"), row.getOffsetDateTime("disabled_at") != null));
    });
  }

  public Future<List<Trainer>> trainers() {
    return pool.query(LIST_TRAINERS).execute().map(rows -> {
      List<Trainer> list = new ArrayList<>();
      rows.forEach(row -> list.add(new Trainer(row.getLong("id"), row.getString("email"), row.getString("display_name"),
        row.getOffsetDateTime("disabled_at") != null, row.getOffsetDateTime("created_at"), row.getLong("ratings"),
        row.getLong("ratings_today"), row.getOffsetDateTime("last_rated_at"))));
      return list;
    });
  }

  /** Disables (ending its sessions) or re-enables an account; 404 when it does not exist. */
  public Future<Void> setDisabled(long trainerId, boolean disabled) {
    return pool.withTransaction(conn -> conn.preparedQuery(SET_DISABLED).execute(Tuple.of(trainerId, disabled))
      .compose(rows -> rows.size() == 0 ? Future.failedFuture(ApiError.notFound("no trainer " + trainerId))
        : disabled ? conn.preparedQuery(END_SESSIONS_OF).execute(Tuple.of(trainerId)).mapEmpty()
        : Future.succeededFuture()));
  }

  /** How many variants the account rated, today and in all, beside the whole team's figures. */
  public Future<RatingActivity> ratingActivity(String email) {
    return pool.preparedQuery(RATING_ACTIVITY).execute(Tuple.of(email)).map(rows -> {
      Row row = rows.iterator().next();
      return new RatingActivity(row.getLong("mine_today"), row.getLong("mine"), row.getLong("team_today"),
        row.getLong("team"));
    });
  }

  /** Renames an account (null clears the name); 404 when it does not exist. */
  public Future<Void> setDisplayName(long trainerId, String displayName) {
    return pool.preparedQuery(SET_DISPLAY_NAME).execute(Tuple.of(trainerId, displayName))
      .compose(rows -> rows.size() == 0 ? Future.failedFuture(ApiError.notFound("no trainer " + trainerId))
        : Future.succeededFuture());
  }

  /** The training mode the trainer last chose on the trainer page; empty when they never chose one. */
  public Future<Optional<String>> trainingMode(long trainerId) {
    return pool.preparedQuery(TRAINING_MODE).execute(Tuple.of(trainerId)).map(rows -> rows.size() == 0
      ? Optional.empty() : Optional.ofNullable(rows.iterator().next().getString("training_mode")));
  }

  /** Remembers the trainer's training mode (a mode of {@code ParameterSpace}; the table refuses others). */
  public Future<Void> setTrainingMode(long trainerId, String mode) {
    return pool.preparedQuery(SET_TRAINING_MODE).execute(Tuple.of(trainerId, mode)).mapEmpty();
  }

  /** Starts a session; answers the session token (for the cookie) and its CSRF token. */
  public Future<SessionTokens> startSession(long trainerId, Duration ttl) {
    String token = Secrets.newToken();
    String csrf = Secrets.newToken();
    return pool.preparedQuery(END_EXPIRED).execute()
      .compose(done -> pool.preparedQuery(INSERT_SESSION)
        .execute(Tuple.of(Secrets.digest(token), trainerId, csrf, ttl.toSeconds())))
      .map(done -> new SessionTokens(token, csrf));
  }

  public Future<Optional<SessionOwner>> sessionOwner(String sessionToken) {
    return pool.preparedQuery(SESSION_OWNER).execute(Tuple.of(Secrets.digest(sessionToken))).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      return Optional.of(new SessionOwner(row.getLong("id"), row.getString("email"), row.getString("display_name"),
        row.getString("csrf_token")));
    });
  }

  public Future<Void> endSession(String sessionToken) {
    return pool.preparedQuery(END_SESSION).execute(Tuple.of(Secrets.digest(sessionToken))).mapEmpty();
  }

  /** Issues an API token for scripts, valid for {@code ttl}; the token itself is answered once and never stored. */
  public Future<IssuedToken> issueApiToken(long trainerId, String name, Duration ttl) {
    String token = Secrets.newToken();
    return pool.preparedQuery(INSERT_TOKEN).execute(Tuple.of(trainerId, name, Secrets.digest(token), ttl.toSeconds()))
      .map(rows -> {
        Row row = rows.iterator().next();
        return new IssuedToken(row.getLong("id"), name, token, row.getOffsetDateTime("expires_at"));
      });
  }

  /** The account's tokens that are not revoked (expired ones included, marked), newest first. */
  public Future<List<ApiToken>> apiTokens(long trainerId) {
    return pool.preparedQuery(LIST_TOKENS).execute(Tuple.of(trainerId)).map(rows -> {
      List<ApiToken> list = new ArrayList<>();
      rows.forEach(row -> list.add(new ApiToken(row.getLong("id"), row.getString("name"),
        row.getOffsetDateTime("created_at"), row.getOffsetDateTime("last_used_at"), row.getOffsetDateTime("expires_at"),
        row.getBoolean("expired"))));
      return list;
    });
  }

  /** Revokes one of the account's tokens; 404 when it has no such token (or it is revoked already). */
  public Future<Void> revokeApiToken(long trainerId, long tokenId) {
    return pool.preparedQuery(REVOKE_TOKEN).execute(Tuple.of(tokenId, trainerId))
      .compose(rows -> rows.size() == 0 ? Future.failedFuture(ApiError.notFound("no token " + tokenId))
        : Future.succeededFuture());
  }

  /** The password hash of an active account, if any. */
  public Future<Optional<String>> passwordHash(long trainerId) {
    return pool.preparedQuery(HASH_BY_ID).execute(Tuple.of(trainerId))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString("password_hash")));
  }

  /** Stores a new password hash and ends every session of the account but {@code keptSession} (may be null). */
  public Future<Void> changePassword(long trainerId, String passwordHash, String keptSession) {
    String kept = keptSession == null ? "" : Secrets.digest(keptSession);
    return pool.withTransaction(conn -> conn.preparedQuery(SET_PASSWORD).execute(Tuple.of(trainerId, passwordHash))
      .compose(done -> conn.preparedQuery(END_OTHER_SESSIONS).execute(Tuple.of(trainerId, kept))).mapEmpty());
  }

  /**
   * Stores the digest of a new reset code for the account, valid for {@code ttl}, replacing its unused
   * ones; answers when it expires. 404 when there is no such account.
   */
  public Future<java.time.OffsetDateTime> issueReset(long trainerId, String code, String createdBy, Duration ttl) {
    return pool.withTransaction(conn -> conn.preparedQuery(END_UNUSED_RESETS).execute(Tuple.of(trainerId))
      .compose(done -> conn.preparedQuery(INSERT_RESET)
        .execute(Tuple.of(trainerId, Secrets.digest(code), createdBy, ttl.toSeconds())))
      .compose(rows -> rows.size() == 0 ? Future.failedFuture(ApiError.notFound("no trainer " + trainerId))
        : Future.succeededFuture(rows.iterator().next().getOffsetDateTime("expires_at"))));
  }

  /** The email of the account a usable (unused, unexpired) reset code belongs to. */
  public Future<Optional<String>> resetOwner(String code) {
    return pool.preparedQuery(RESET_OWNER).execute(Tuple.of(Secrets.digest(code)))
      .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next().getString("email")));
  }

  /**
   * Uses a reset code once: sets the password and ends every session of the account, in one transaction.
   * False when the code is unknown, used or expired (nothing changes then).
   */
  public Future<Boolean> useReset(String code, String passwordHash) {
    return pool.withTransaction(conn -> conn.preparedQuery(USE_RESET).execute(Tuple.of(Secrets.digest(code)))
      .compose(rows -> {
        if (rows.size() == 0) {
          return Future.succeededFuture(false);
        }
        long trainerId = rows.iterator().next().getLong("trainer_id");
        return conn.preparedQuery(SET_PASSWORD).execute(Tuple.of(trainerId, passwordHash))
          .compose(done -> conn.preparedQuery(END_SESSIONS_OF).execute(Tuple.of(trainerId)))
          .map(done -> true);
      }));
  }

  public Future<Optional<SessionOwner>> tokenOwner(String apiToken) {
    return pool.preparedQuery(TOKEN_OWNER).execute(Tuple.of(Secrets.digest(apiToken))).map(rows -> {
      if (rows.size() == 0) {
        return Optional.empty();
      }
      Row row = rows.iterator().next();
      return Optional.of(new SessionOwner(row.getLong("id"), row.getString("email"), row.getString("display_name"), null));
    });
  }
}
