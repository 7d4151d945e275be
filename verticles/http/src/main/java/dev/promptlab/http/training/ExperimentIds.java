package dev.promptlab.http.training;

import java.security.SecureRandom;

/** Experiment identifiers: {@code exp_} followed by 13 base-36 characters of a random 64-bit number. */
public final class ExperimentIds {

  private static final SecureRandom RANDOM = new SecureRandom();

  private ExperimentIds() {
  }

  public static String next() {
    String digits = Long.toUnsignedString(RANDOM.nextLong(), 36);
    // Fixed width keeps ids sortable by nothing in particular but always within the schema's length rule.
    return "exp_" + "0".repeat(13 - digits.length()) + digits;
  }
}
