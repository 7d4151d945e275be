package dev.promptlab.http.accounts;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a new password must not be (checked on account creation, password change and reset):
 * <ul>
 *   <li>shorter than {@value #MIN_CHARS} or longer than {@value #MAX_CHARS} characters, or blank;</li>
 *   <li>one of the common passwords of {@code passwords/common-passwords.txt} (any case), or one of them followed
 *       only by digits and punctuation;</li>
 *   <li>mostly one character (at least half of it), or a short pattern (up to {@value #MAX_PERIOD} characters)
 *       repeated;</li>
 *   <li>mostly a simple sequence: a run of consecutive letters or digits, up or down ({@code 0} may follow
 *       {@code 9}), over at least 70 % of it;</li>
 *   <li>the email address, or containing the part before its {@code @} (when that part has at least 3 characters).</li>
 * </ul>
 * Each refusal is an {@link AccountRefused} whose key names its text in the page bundles.
 */
public final class PasswordPolicy {

  public static final int MIN_CHARS = 10;
  public static final int MAX_CHARS = 200;
  static final int MAX_PERIOD = 4;
  static final String LIST = "passwords/common-passwords.txt";

  private final Set<String> common;

  PasswordPolicy(Set<String> common) {
    this.common = Set.copyOf(common);
  }

  /** The policy with the shipped list; the list is read once, on first use (blocking: a class-path read). */
  public static PasswordPolicy standard() {
    return Standard.POLICY;
  }

  private static final class Standard {
    static final PasswordPolicy POLICY = new PasswordPolicy(read());
  }

  /** Throws {@link AccountRefused} when {@code password} breaks a rule; {@code email} is normalised. */
  public void check(String password, String email) {
    if (password == null || password.length() < MIN_CHARS) {
      throw new AccountRefused("password_too_short", "the password needs at least " + MIN_CHARS + " characters");
    }
    if (password.length() > MAX_CHARS) {
      throw new AccountRefused("password_too_long", "the password may have at most " + MAX_CHARS + " characters");
    }
    String lower = password.toLowerCase(Locale.ROOT);
    if (password.isBlank() || lower.equals(email)) {
      throw new AccountRefused("password_is_email", "the password must not be blank or the email address");
    }
    if (common.contains(lower) || common.contains(withoutTrailingDigitsAndPunctuation(lower))) {
      throw new AccountRefused("password_common", "this password is one of the most common passwords; choose another");
    }
    if (mostlyOneCharacter(lower) || repeatedPattern(lower)) {
      throw new AccountRefused("password_repeated", "the password is mostly one character or a short pattern repeated");
    }
    if (mostlySequence(lower)) {
      throw new AccountRefused("password_sequence", "the password is mostly a simple sequence such as 12345 or abcde");
    }
    String local = email == null ? "" : email.substring(0, Math.max(0, email.indexOf('@')));
    if (local.length() >= 3 && lower.contains(local)) {
      throw new AccountRefused("password_has_email", "the password must not contain the email address's name");
    }
  }

  private static String withoutTrailingDigitsAndPunctuation(String password) {
    int end = password.length();
    while (end > 0 && !Character.isLetter(password.charAt(end - 1)) && !Character.isWhitespace(password.charAt(end - 1))) {
      end--;
    }
    // A short stem (a word of 1–3 letters) is not one of the listed passwords' distinctive parts.
    return end >= 4 && end < password.length() ? password.substring(0, end) : password;
  }

  private static boolean mostlyOneCharacter(String password) {
    int[] cps = password.codePoints().toArray();
    java.util.Map<Integer, Integer> counts = new java.util.HashMap<>();
    int most = 0;
    for (int c : cps) {
      most = Math.max(most, counts.merge(c, 1, Integer::sum));
    }
    return most * 2 >= cps.length;
  }

  private static boolean repeatedPattern(String password) {
    for (int period = 1; period <= MAX_PERIOD && period < password.length(); period++) {
      boolean repeats = true;
      for (int i = period; i < password.length() && repeats; i++) {
        repeats = password.charAt(i) == password.charAt(i - period);
      }
      if (repeats) {
        return true;
      }
    }
    return false;
  }

  private static boolean mostlySequence(String password) {
    int longest = 1;
    int run = 1;
    int step = 0;
    for (int i = 1; i < password.length(); i++) {
      int d = stepBetween(password.charAt(i - 1), password.charAt(i));
      if (d != 0 && d == step) {
        run++;
      } else {
        run = d != 0 ? 2 : 1;
        step = d;
      }
      longest = Math.max(longest, run);
    }
    return longest * 10 >= password.length() * 7;
  }

  /** +1 or -1 when {@code b} follows or precedes {@code a} among letters or digits (9 then 0 counts), else 0. */
  private static int stepBetween(char a, char b) {
    boolean digits = Character.isDigit(a) && Character.isDigit(b);
    boolean letters = Character.isLetter(a) && Character.isLetter(b);
    if (!digits && !letters) {
      return 0;
    }
    if (b - a == 1 || (digits && a == '9' && b == '0')) {
      return 1;
    }
    if (a - b == 1 || (digits && a == '0' && b == '9')) {
      return -1;
    }
    return 0;
  }

  private static Set<String> read() {
    try (InputStream in = PasswordPolicy.class.getClassLoader().getResourceAsStream(LIST)) {
      if (in == null) {
        throw new IllegalStateException("missing " + LIST);
      }
      Set<String> words = new HashSet<>();
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        reader.lines().map(String::strip).filter(line -> !line.isEmpty()).forEach(words::add);
      }
      if (words.size() < 1_000) {
        throw new IllegalStateException(LIST + " holds only " + words.size() + " passwords");
      }
      return words;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
