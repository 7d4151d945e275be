package dev.promptlab.http.accounts;

/**
 * Input an account cannot be made from: {@link #getMessage()} says why in English (the JSON API and the
 * command line), {@link #key()} names the same text in the page bundles ({@code i18n/messages_*.properties}).
 */
public final class AccountRefused extends IllegalArgumentException {

  private final String key;

  public AccountRefused(String key, String message) {
    super(message);
    this.key = key;
  }

  public String key() {
    return key;
  }
}
