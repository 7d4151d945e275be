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
    "SELECT t.id, t.email, t.display_name, t.disabled_at, t.created_at,"
      + " (SELECT count(*) FROM ratings r WHERE r.rated_by = t.email) AS ratings FROM trainers t ORDER BY t.email";
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
    "INSERT INTO api_tokens (trainer_id, name, token_hash) VALUES ($1, $2, $3)";
  private static final String TOKEN_OWNER =
    "UPDATE api_tokens a SET last_used_at = now() FROM trainers t WHERE a.token_hash = $1 AND a.revoked_at IS NULL"
      + " AND t.id = a.trainer_id AND t.disabled_at IS NULL RETURNING t.id, t.email, t.display_name";

  private final Pool pool;

  public AccountStore(Pool pool) {
    this.pool = pool;
  }

  /** Inserts the account; 409 when the email already has one. */
  public Future<Trainer> create(NewAccount account, String createdBy) {
    return pool.preparedQuery(INSERT_TRAINER)
      .execute(Tuple.of(account.email(), account.displayName(), account.passwordHash(), createdBy))
      .map(rows -> trainer(rows.iterator().next(), 0))
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
      rows.forEach(row -> list.add(trainer(row, row.getLong("ratings"))));
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

  /** Issues an API token for scripts; the token itself is answered once and never stored. */
  public Future<String> issueApiToken(long trainerId, String name) {
    String token = Secrets.newToken();
    return pool.preparedQuery(INSERT_TOKEN).execute(Tuple.of(trainerId, name, Secrets.digest(token))).map(done -> token);
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

  private static Trainer trainer(Row row, long ratings) {
    return new Trainer(row.getLong("id"), row.getString("email"), row.getString("display_name"),
      row.getOffsetDateTime("disabled_at") != null, row.getOffsetDateTime("created_at"), ratings);
  }
}
