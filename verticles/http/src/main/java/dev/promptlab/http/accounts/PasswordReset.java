package dev.promptlab.http.accounts;

import java.time.OffsetDateTime;

/** A reset code just issued by an admin: shown once, stored as a digest, usable once until {@code expiresAt}. */
public record PasswordReset(long trainerId, String code, OffsetDateTime expiresAt) {

  /** The page where the trainer sets a new password with this code. */
  public String path() {
    return "/reset?code=" + code;
  }

  @Override
  public String toString() {
    return "PasswordReset[" + trainerId + ", ***]";
  }
}
