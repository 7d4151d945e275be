package dev.promptlab.http.accounts;

/** What a login checks: the account, its password hash and whether it may log in. */
public record StoredCredentials(long trainerId, String email, String displayName, String passwordHash,
                                boolean disabled) {

  @Override
  public String toString() {
    return "StoredCredentials[" + email + "]";
  }
}
