package dev.promptlab.textopt.metrics;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The answer normalisation of the official SQuAD v1.1 evaluation script, applied in its order: lower-case, remove
 * ASCII punctuation, remove the articles "a", "an", "the", collapse whitespace.
 */
final class SquadNormalization {

  /** Python's {@code string.punctuation}: ASCII only, so "¿" or "«" stay part of their word, as in the script. */
  private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
  private static final Set<String> ARTICLES = Set.of("a", "an", "the");

  private SquadNormalization() {
  }

  static String normalize(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    StringBuilder kept = new StringBuilder(lower.length());
    lower.codePoints().filter(cp -> PUNCTUATION.indexOf(cp) < 0).forEach(kept::appendCodePoint);
    return String.join(" ", PythonText.split(withoutArticles(kept.toString())));
  }

  /** The normalised answer's tokens. */
  static List<String> tokens(String text) {
    return PythonText.split(normalize(text));
  }

  /**
   * The script's {@code re.sub(r'\b(a|an|the)\b', ' ', text)}: an article is removed only when it is a whole run of
   * word characters, with Python's Unicode notion of a word character ("aé" is one word and is kept).
   */
  private static String withoutArticles(String text) {
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    while (i < text.length()) {
      int cp = text.codePointAt(i);
      if (!isWordChar(cp)) {
        out.appendCodePoint(cp);
        i += Character.charCount(cp);
        continue;
      }
      int end = i;
      while (end < text.length() && isWordChar(text.codePointAt(end))) {
        end += Character.charCount(text.codePointAt(end));
      }
      String word = text.substring(i, end);
      out.append(ARTICLES.contains(word) ? " " : word);
      i = end;
    }
    return out.toString();
  }

  /** Python's {@code \w} on str patterns: letters, numbers of any kind, and the underscore. */
  private static boolean isWordChar(int cp) {
    if (cp == '_' || Character.isLetter(cp)) {
      return true;
    }
    int type = Character.getType(cp);
    return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER
      || type == Character.OTHER_NUMBER;
  }
}
