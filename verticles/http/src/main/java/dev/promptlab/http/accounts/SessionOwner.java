package dev.promptlab.http.accounts;

/** The account behind a session cookie or an API token, with the session's CSRF token (null for tokens). */
public record SessionOwner(long trainerId, String email, String displayName, String csrfToken) {
}
