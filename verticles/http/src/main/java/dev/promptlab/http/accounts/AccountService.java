package dev.promptlab.http.accounts;

import dev.promptlab.http.web.ApiError;
import dev.promptlab.http.web.PathIds;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.List;

/**
 * What an account does with itself, shared by the JSON API and the account page: list, issue and revoke
 * API tokens (every token expires, at the latest after {@code tokenMaxLifetime}); change the password
 * (the current one is checked under the login limits); and the admin-issued one-time reset. Refusals are
 * {@link ApiError}s carrying the key of their page text.
 */
public final class AccountService {

  private final AccountStore accounts;
  private final PasswordChecks checks;
  private final PasswordHasher hasher;
  private final LoginThrottle limiter;
  private final Duration tokenMaxLifetime;
  private final Duration resetLifetime;

  public AccountService(AccountStore accounts, PasswordChecks checks, PasswordHasher hasher, LoginThrottle limiter,
                        Duration tokenMaxLifetime, Duration resetLifetime) {
    this.accounts = accounts;
    this.checks = checks;
    this.hasher = hasher;
    this.limiter = limiter;
    this.tokenMaxLifetime = tokenMaxLifetime;
    this.resetLifetime = resetLifetime;
  }

  public long maxTokenDays() {
    return tokenMaxLifetime.toDays();
  }

  public Future<List<ApiToken>> tokens(Long trainerId) {
    return account(trainerId).compose(accounts::apiTokens);
  }

  /**
   * Issues a token named {@code name} (1–100 characters) valid for {@code expiresInDays} (a whole number from 1 to
   * the maximum; null or blank: the maximum).
   */
  public Future<IssuedToken> issueToken(Long trainerId, String name, Object expiresInDays) {
    if (name == null || name.isBlank() || name.strip().length() > 100) {
      return Future.failedFuture(ApiError.badRequest("give the token a name of 1 to 100 characters")
        .withMessageKey("token_name_invalid"));
    }
    long days;
    try {
      days = days(expiresInDays);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(ApiError.badRequest("expires_in_days must be a whole number from 1 to "
        + maxTokenDays()).withMessageKey("token_expiry_invalid"));
    }
    return account(trainerId).compose(id -> accounts.issueApiToken(id, name.strip(), Duration.ofDays(days)));
  }

  public Future<Void> revokeToken(Long trainerId, String tokenId) {
    return PathIds.number(tokenId, "token")
      .compose(id -> account(trainerId).compose(trainer -> accounts.revokeApiToken(trainer, id)));
  }

  /**
   * Changes the password after checking the current one. Guesses of the current password count towards the
   * login limits of ({@code email}, {@code address}); the new password must pass {@link PasswordPolicy}. Every
   * other session of the account ends; {@code keptSession} (the caller's, or null) stays.
   */
  public Future<Void> changePassword(Long trainerId, String email, String current, String next, String keptSession,
                                     String address) {
    return account(trainerId).compose(id -> limiter.admit(email, address).compose(decision -> {
      if (!decision.allowed()) {
        return Future.failedFuture(new ApiError(429, "too_many_requests", "too many wrong passwords; try again in "
          + Math.max(1, decision.retryAfter().toSeconds()) + " s").withMessageKey("login_throttled"));
      }
      LoginThrottle.Attempt attempt = decision.attempt().get();
      return accounts.passwordHash(id)
        .compose(stored -> checks.run(() -> {
          if (stored.isEmpty() || !hasher.matches(current == null ? "" : current, stored.get())) {
            return null;
          }
          attempt.succeeded();
          return newHash(next, email);
        }))
        .onFailure(failure -> attempt.failed())
        .compose(hash -> {
          if (hash == null) {
            attempt.failed();
            return Future.failedFuture(ApiError.badRequest("the current password is not right")
              .withMessageKey("password_current_wrong"));
          }
          return accounts.changePassword(id, hash, keptSession);
        });
    }));
  }

  /** Issues a one-time reset code for a trainer (admins); earlier unused codes of that trainer stop working. */
  public Future<PasswordReset> issueReset(String trainerId, String by) {
    return PathIds.number(trainerId, "trainer").compose(id -> {
      String code = Secrets.newToken();
      return accounts.issueReset(id, code, by, resetLifetime).map(expires -> new PasswordReset(id, code, expires));
    });
  }

  /** Sets a new password with a reset code, once; every session of the account ends. */
  public Future<Void> resetPassword(String code, String next) {
    if (code == null || code.isBlank() || code.length() > 100) {
      return Future.failedFuture(invalidReset());
    }
    return accounts.resetOwner(code)
      .compose(email -> email.isEmpty() ? Future.failedFuture(invalidReset())
        : checks.run(() -> newHash(next, email.get())))
      .compose(hash -> accounts.useReset(code, hash))
      .compose(used -> used ? Future.succeededFuture() : Future.failedFuture(invalidReset()));
  }

  /** Blocking: the policy reads its list on first use, and hashing is slow. */
  private String newHash(String password, String email) {
    try {
      PasswordPolicy.standard().check(password, email);
    } catch (AccountRefused e) {
      throw ApiError.badRequest(e.getMessage()).withMessageKey(e.key());
    }
    return hasher.hash(password);
  }

  private static ApiError invalidReset() {
    return ApiError.badRequest("the reset code is not valid: it is unknown, used already or expired; ask an admin"
      + " for a new one").withMessageKey("reset_invalid");
  }

  private static Future<Long> account(Long trainerId) {
    return trainerId == null
      ? Future.failedFuture(ApiError.badRequest("the operator's admin token has no account; use an account's token")
        .withMessageKey("account_admin_token"))
      : Future.succeededFuture(trainerId);
  }

  private long days(Object value) {
    if (value == null || (value instanceof String s && s.isBlank())) {
      return maxTokenDays();
    }
    long days;
    if (value instanceof Number n && n.doubleValue() == n.longValue()) {
      days = n.longValue();
    } else if (value instanceof String s) {
      days = Long.parseLong(s.strip());
    } else {
      throw new IllegalArgumentException("not a number");
    }
    if (days < 1 || days > maxTokenDays()) {
      throw new IllegalArgumentException("out of range");
    }
    return days;
  }
}
