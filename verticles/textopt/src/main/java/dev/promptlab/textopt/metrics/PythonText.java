package dev.promptlab.textopt.metrics;

import java.util.ArrayList;
import java.util.List;

/**
 * The string operations of the Python reference implementations, where Java's differ: every metric here is
 * checked against scores those implementations published, so a token boundary must fall exactly where theirs does.
 */
final class PythonText {

  private PythonText() {
  }

  /**
   * Python's {@code str.isspace()}: Java's {@link Character#isWhitespace} leaves out the no-break spaces and
   * NEL (U+0085), which Python splits on.
   */
  static boolean isSpace(int codePoint) {
    return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint) || codePoint == 0x85;
  }

  /** Python's {@code str.split()} with no argument: runs of whitespace separate, no empty tokens. */
  static List<String> split(String text) {
    List<String> tokens = new ArrayList<>();
    int start = -1;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      if (isSpace(cp)) {
        if (start >= 0) {
          tokens.add(text.substring(start, i));
          start = -1;
        }
      } else if (start < 0) {
        start = i;
      }
      i += Character.charCount(cp);
    }
    if (start >= 0) {
      tokens.add(text.substring(start));
    }
    return tokens;
  }

  /** Python's {@code str.rstrip()}: trailing whitespace removed. */
  static String rstrip(String text) {
    int end = text.length();
    while (end > 0) {
      int cp = text.codePointBefore(end);
      if (!isSpace(cp)) {
        break;
      }
      end -= Character.charCount(cp);
    }
    return text.substring(0, end);
  }

  /** {@code ''.join(text.split())}: the text with every whitespace character removed. */
  static String removeSpaces(String text) {
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().filter(cp -> !isSpace(cp)).forEach(out::appendCodePoint);
    return out.toString();
  }
}
