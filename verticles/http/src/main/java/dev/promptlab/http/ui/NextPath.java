package dev.promptlab.http.ui;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where a page may send the browser after logging in ({@code next}). Only a path of this site is
 * accepted: it starts with a single {@code /}, holds no {@code //} and no backslash, and has no control,
 * format or whitespace character — neither as given nor after one more round of percent-decoding
 * (browsers drop a tab or line break, so {@code /\t/host} becomes {@code //host}, another site; and a
 * line break in a {@code Location} header is refused by the HTTP codec). Anything else means {@code /}.
 */
public final class NextPath {

  static final int MAX_CHARS = 500;

  private NextPath() {
  }

  /** {@code next} when it is a same-site path, otherwise {@code /}. */
  public static String sameSite(String next) {
    if (next == null || next.length() > MAX_CHARS || !acceptable(next) || next.startsWith("/login")) {
      return "/";
    }
    String decoded;
    try {
      decoded = URLDecoder.decode(next, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return "/";
    }
    return acceptable(decoded) ? next : "/";
  }

  private static boolean acceptable(String path) {
    if (!path.startsWith("/") || path.contains("//") || path.contains("\\")) {
      return false;
    }
    return path.codePoints().noneMatch(NextPath::invisibleOrSpace);
  }

  private static boolean invisibleOrSpace(int c) {
    int type = Character.getType(c);
    return Character.isWhitespace(c) || Character.isSpaceChar(c) || type == Character.CONTROL
      || type == Character.FORMAT || type == Character.UNASSIGNED || type == Character.SURROGATE
      || type == Character.PRIVATE_USE;
  }
}
