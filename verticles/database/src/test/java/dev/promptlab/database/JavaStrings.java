package dev.promptlab.database;

import java.util.ArrayList;
import java.util.List;

/** The string literals of a Java source (text blocks included), comments and character literals skipped. */
final class JavaStrings {

  private JavaStrings() {
  }

  static List<String> literals(String source) {
    List<String> literals = new ArrayList<>();
    int i = 0;
    int n = source.length();
    while (i < n) {
      char c = source.charAt(i);
      if (source.startsWith("//", i)) {
        i = indexOrEnd(source, "\n", i);
      } else if (source.startsWith("/*", i)) {
        i = indexOrEnd(source, "*/", i + 2) + 2;
      } else if (source.startsWith("\"\"\"", i)) {
        int end = closing(source, "\"\"\"", i + 3);
        literals.add(source.substring(i + 3, end));
        i = end + 3;
      } else if (c == '"' || c == '\'') {
        int end = closing(source, String.valueOf(c), i + 1);
        if (c == '"') {
          literals.add(source.substring(i + 1, end));
        }
        i = end + 1;
      } else {
        i++;
      }
    }
    return literals;
  }

  /** Where the literal opened before {@code from} closes, stepping over escaped characters. */
  private static int closing(String source, String quote, int from) {
    int i = from;
    while (i < source.length() && !source.startsWith(quote, i)) {
      i += source.charAt(i) == '\\' ? 2 : 1;
    }
    return Math.min(i, source.length());
  }

  private static int indexOrEnd(String source, String what, int from) {
    int at = source.indexOf(what, from);
    return at < 0 ? source.length() : at;
  }
}
