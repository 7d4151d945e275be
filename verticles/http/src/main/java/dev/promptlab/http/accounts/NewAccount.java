package dev.promptlab.http.accounts;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A trainer account ready to insert: the email normalised and checked, the password checked and
 * hashed. Pure and blocking (hashing is slow): the launcher's "create the first admin" command and
 * the admin page both build accounts through {@link #prepare}, then {@link AccountStore#create}.
 */
public record NewAccount(String email, String displayName, String passwordHash) {

  public static final int MIN_PASSWORD_CHARS = 10;
  public static final int MAX_PASSWORD_CHARS = 200;
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

  /** Validates and hashes; throws {@link IllegalArgumentException} with a message a person can act on. */
  public static NewAccount prepare(String email, String password, String displayName, PasswordHasher hasher) {
    String normalised = normaliseEmail(email);
    if (normalised == null) {
      throw new IllegalArgumentException("a valid email address is required");
    }
    if (password == null || password.length() < MIN_PASSWORD_CHARS) {
      throw new IllegalArgumentException("the password needs at least " + MIN_PASSWORD_CHARS + " characters");
    }
    if (password.length() > MAX_PASSWORD_CHARS) {
      throw new IllegalArgumentException("the password may have at most " + MAX_PASSWORD_CHARS + " characters");
    }
    if (password.isBlank() || password.equalsIgnoreCase(normalised)) {
      throw new IllegalArgumentException("the password must not be blank or the email address");
    }
    String name = displayName == null || displayName.isBlank() ? null : displayName.strip();
    if (name != null && name.length() > 200) {
      throw new IllegalArgumentException("the name may have at most 200 characters");
    }
    return new NewAccount(normalised, name, hasher.hash(password));
  }

  /** Lower-cased, trimmed email, or null when it does not look like one. */
  public static String normaliseEmail(String email) {
    if (email == null) {
      return null;
    }
    String value = email.strip().toLowerCase(Locale.ROOT);
    return value.length() <= 320 && EMAIL.matcher(value).matches() ? value : null;
  }

  @Override
  public String toString() {
    return "NewAccount[" + email + "]";
  }
}
