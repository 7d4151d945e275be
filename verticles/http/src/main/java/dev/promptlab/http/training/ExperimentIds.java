package dev.promptlab.http.training;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/** Experiment identifiers: {@code exp_} followed by 13 base-36 characters of a random 64-bit number. */
public final class ExperimentIds {

  private static final SecureRandom RANDOM = new SecureRandom();

  private ExperimentIds() {
  }

  private static final Pattern SHAPE = Pattern.compile("exp_[0-9a-z]{6,40}");

  /** Whether {@code id} has the shape the schema allows for an experiment id. */
  public static boolean valid(String id) {
    return id != null && SHAPE.matcher(id).matches();
  }

  public static String next() {
    String digits = Long.toUnsignedString(RANDOM.nextLong(), 36);
    // Fixed width keeps ids sortable by nothing in particular but always within the schema's length rule.
    return "exp_" + "0".repeat(13 - digits.length()) + digits;
  }
}
