package dev.promptlab.http.accounts;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one spelling of an email address under which an account is stored and looked up: Unicode NFKC
 * (so full-width or compatibility forms of letters become the plain ones), surrounding white space
 * removed, lower case. An address holding an invisible character — zero-width and other format
 * characters, control characters, line or paragraph separators, white space inside — is refused, so two
 * accounts cannot look alike while differing in characters nobody sees.
 */
public final class EmailAddress {

  static final int MAX_CHARS = 320;
  private static final Pattern SHAPE = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

  private EmailAddress() {
  }

  /** The normalised address, or null when it is missing, malformed or holds an invisible character. */
  public static String normalise(String email) {
    if (email == null) {
      return null;
    }
    String value = Normalizer.normalize(email, Normalizer.Form.NFKC).strip().toLowerCase(Locale.ROOT);
    if (value.length() > MAX_CHARS || value.codePoints().anyMatch(EmailAddress::invisible)) {
      return null;
    }
    return SHAPE.matcher(value).matches() ? value : null;
  }

  static boolean invisible(int c) {
    int type = Character.getType(c);
    return type == Character.FORMAT || type == Character.CONTROL || type == Character.LINE_SEPARATOR
      || type == Character.PARAGRAPH_SEPARATOR || type == Character.SPACE_SEPARATOR || type == Character.UNASSIGNED
      || type == Character.PRIVATE_USE || type == Character.SURROGATE || Character.isWhitespace(c)
      // Fillers that render as nothing although Unicode files them as letters or marks.
      || c == 0x115F || c == 0x1160 || c == 0x3164 || c == 0xFFA0 || c == 0x034F || c == 0x2800;
  }
}
