package dev.promptlab.http.accounts;

/** A new session: the cookie's token and the CSRF token its forms must echo. */
public record SessionTokens(String sessionToken, String csrfToken) {

  @Override
  public String toString() {
    return "SessionTokens[***]";
  }
}
