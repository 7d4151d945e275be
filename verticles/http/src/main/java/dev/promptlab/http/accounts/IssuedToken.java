package dev.promptlab.http.accounts;

import java.time.OffsetDateTime;

/** A token just issued: the secret is answered this once and stored only as a digest. */
public record IssuedToken(long id, String name, String token, OffsetDateTime expiresAt) {

  @Override
  public String toString() {
    return "IssuedToken[" + id + ", " + name + ", ***]";
  }
}
