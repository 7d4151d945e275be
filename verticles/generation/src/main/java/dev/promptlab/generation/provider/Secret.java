package dev.promptlab.generation.provider;

import java.util.Map;

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
   * The secret from the config slice (where the launcher puts what it read from the environment) or
   * else straight from the environment variable; empty values count as missing.
   *
   * @throws IllegalArgumentException naming the variable to set when neither has a value
   */
  public static Secret required(String configValue, String environmentVariable, Map<String, String> environment) {
    String value = configValue;
    if (value == null || value.isBlank()) {
      value = environment.get(environmentVariable);
    }
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
