package dev.promptlab.generation.storage;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Names of stored objects. Keys are generated here, never taken from a request, and every key that is
 * used to touch storage is checked again: lower-case letters, digits, {@code / . _ -}, no empty or
 * dot-only segments, no leading slash — so a key can never climb out of its folder.
 */
public final class StorageKeys {

  private static final Pattern ALLOWED = Pattern.compile("[a-z0-9][a-z0-9._-]*(/[a-z0-9][a-z0-9._-]*)*");

  private StorageKeys() {
  }

  /** A fresh, unique object name such as {@code 2025/03/07/5f0c…e1.png} (grouped by day to keep folders small). */
  public static String newName(String extension, LocalDate day) {
    requireValid(extension);
    return String.format("%04d/%02d/%02d/%s.%s", day.getYear(), day.getMonthValue(), day.getDayOfMonth(),
      UUID.randomUUID().toString().replace("-", ""), extension);
  }

  public static String newName(String extension) {
    return newName(extension, LocalDate.now(ZoneOffset.UTC));
  }

  /** True when {@code key} is safe to resolve under a storage root. */
  public static boolean isValid(String key) {
    if (key == null || key.isEmpty() || key.length() > 512 || !ALLOWED.matcher(key).matches()) {
      return false;
    }
    for (String segment : key.split("/")) {
      if (segment.equals(".") || segment.equals("..") || segment.contains("..")) {
        return false;
      }
    }
    return true;
  }

  public static String requireValid(String key) {
    if (!isValid(key)) {
      throw new IllegalArgumentException("not a valid storage key: " + key);
    }
    return key;
  }
}
