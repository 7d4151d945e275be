package dev.promptlab.http.accounts;

/**
 * A trainer account ready to insert: the email normalised and checked ({@link EmailAddress}), the password
 * checked ({@link PasswordPolicy}) and hashed. Pure and blocking (hashing is slow): the launcher's "create
 * the first admin" command and the admin page both build accounts through {@link #prepare}, then
 * {@link AccountStore#create}.
 */
public record NewAccount(String email, String displayName, String passwordHash) {

  public static final int MIN_PASSWORD_CHARS = PasswordPolicy.MIN_CHARS;
  public static final int MAX_PASSWORD_CHARS = PasswordPolicy.MAX_CHARS;

  /** Validates and hashes; throws {@link AccountRefused} with a message a person can act on. */
  public static NewAccount prepare(String email, String password, String displayName, PasswordHasher hasher) {
    String normalised = normaliseEmail(email);
    if (normalised == null) {
      throw new AccountRefused("email_invalid", "a valid email address is required (without invisible or control"
        + " characters)");
    }
    PasswordPolicy.standard().check(password, normalised);
    String name = displayName == null || displayName.isBlank() ? null : displayName.strip();
    if (name != null && name.length() > 200) {
      throw new AccountRefused("name_too_long", "the name may have at most 200 characters");
    }
    return new NewAccount(normalised, name, hasher.hash(password));
  }

  /** See {@link EmailAddress#normalise}: null when it is not a usable address. */
  public static String normaliseEmail(String email) {
    return EmailAddress.normalise(email);
  }

  @Override
  public String toString() {
    return "NewAccount[" + email + "]";
  }
}
