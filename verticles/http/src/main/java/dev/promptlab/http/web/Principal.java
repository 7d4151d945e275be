package dev.promptlab.http.web;

/**
 * Who is calling: a trainer account (by session cookie or API token) or the operator's admin token
 * ({@code trainerId} null). {@code csrfToken} is set for browser sessions only: their state-changing
 * requests must echo it.
 */
public record Principal(Long trainerId, String email, String displayName, boolean admin, String csrfToken) {

  /** The name shown on pages and recorded as {@code rated_by}. */
  public String name() {
    return email;
  }

  public boolean browserSession() {
    return csrfToken != null;
  }
}
