package dev.promptlab.evolution.store;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A validated version name {@code vMAJOR.MINOR.PATCH}. Parsing is the only way in, so a value of this type
 * can be used as a file name without any path trick getting through.
 */
public record PromptVersionName(int major, int minor, int patch) implements Comparable<PromptVersionName> {

  /** Up to 4 digits per part (the database's bound), no leading zeros (so each version has one spelling). */
  public static final Pattern PATTERN =
    Pattern.compile("^v(0|[1-9][0-9]{0,3})\\.(0|[1-9][0-9]{0,3})\\.(0|[1-9][0-9]{0,3})$");
  private static final int MAX_PART = 9999;

  public PromptVersionName {
    if (major < 0 || minor < 0 || patch < 0 || major > MAX_PART || minor > MAX_PART || patch > MAX_PART) {
      throw new PromptStoreException(PromptStoreException.Reason.INVALID_NAME,
        "version parts must be between 0 and " + MAX_PART);
    }
  }

  /** Parses a name such as {@code v1.2.3}; anything else (path separators, dots, blanks) is refused. */
  public static PromptVersionName parse(String text) {
    Matcher m = text == null ? null : PATTERN.matcher(text);
    if (m == null || !m.matches()) {
      throw new PromptStoreException(PromptStoreException.Reason.INVALID_NAME,
        "invalid version name " + quote(text) + ": expected vMAJOR.MINOR.PATCH such as v1.0.0");
    }
    return new PromptVersionName(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
      Integer.parseInt(m.group(3)));
  }

  public static boolean isValid(String text) {
    return text != null && PATTERN.matcher(text).matches();
  }

  public PromptVersionName nextPatch() {
    return new PromptVersionName(major, minor, patch + 1);
  }

  public PromptVersionName nextMinor() {
    return new PromptVersionName(major, minor + 1, 0);
  }

  public PromptVersionName nextMajor() {
    return new PromptVersionName(major + 1, 0, 0);
  }

  public String fileName() {
    return this + ".json";
  }

  @Override
  public int compareTo(PromptVersionName other) {
    if (major != other.major) {
      return Integer.compare(major, other.major);
    }
    if (minor != other.minor) {
      return Integer.compare(minor, other.minor);
    }
    return Integer.compare(patch, other.patch);
  }

  @Override
  public String toString() {
    return "v" + major + "." + minor + "." + patch;
  }

  /** Quotes user input for an error message: bounded, control characters escaped. */
  static String quote(String text) {
    if (text == null) {
      return "null";
    }
    StringBuilder out = new StringBuilder("\"");
    text.codePoints().limit(60).forEach(c -> {
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.append(text.codePointCount(0, text.length()) > 60 ? "…\"" : "\"").toString();
  }
}
