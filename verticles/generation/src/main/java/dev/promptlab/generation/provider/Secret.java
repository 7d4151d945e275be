package dev.promptlab.generation.provider;

/**
 * An API key or token. Its {@link #toString()} never shows the value, so a secret that ends up in a
 * log line, an exception or a record's string form stays hidden.
 */
public final class Secret {

  private final String value;

  private Secret(String value) {
    this.value = value;
  }

  /**
   * The secret from the config slice, where the launcher puts what it read from {@code environmentVariable};
   * an empty value counts as missing.
   *
   * @throws IllegalArgumentException naming the variable to set when there is no value
   */
  public static Secret required(String configValue, String environmentVariable) {
    String value = configValue;
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(environmentVariable + " is not set; the provider needs it");
    }
    return new Secret(value.trim());
  }

  /** The value, for the one place that puts it in a request header. */
  public String reveal() {
    return value;
  }

  @Override
  public String toString() {
    return "****";
  }
}
