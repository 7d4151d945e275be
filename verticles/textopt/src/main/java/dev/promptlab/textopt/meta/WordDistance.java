package dev.promptlab.textopt.meta;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Words of a prompt and the edit distance between two prompts counted in words. */
final class WordDistance {

  private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

  private WordDistance() {
  }

  /** The text's words (letters and digits of any script), lower-cased. */
  static List<String> words(String text) {
    List<String> words = new ArrayList<>();
    Matcher matcher = WORD.matcher(text);
    while (matcher.find()) {
      words.add(matcher.group().toLowerCase(Locale.ROOT));
    }
    return words;
  }

  /** How many of {@code a}'s words (counted with repeats) {@code b} does not have. */
  static int unmatched(List<String> a, List<String> b) {
    java.util.Map<String, Integer> available = new java.util.HashMap<>();
    for (String word : b) {
      available.merge(word, 1, Integer::sum);
    }
    int missing = 0;
    for (String word : a) {
      Integer left = available.get(word);
      if (left == null || left == 0) {
        missing++;
      } else {
        available.put(word, left - 1);
      }
    }
    return missing;
  }

  /**
   * Levenshtein distance over words: insertions, deletions and substitutions of whole words. The common head and
   * tail are skipped first: a rewrite usually touches a few sentences, so what is left is small and the quadratic
   * part rarely runs over the whole prompts.
   */
  static int distance(List<String> a, List<String> b) {
    int start = 0;
    while (start < a.size() && start < b.size() && a.get(start).equals(b.get(start))) {
      start++;
    }
    int endA = a.size();
    int endB = b.size();
    while (endA > start && endB > start && a.get(endA - 1).equals(b.get(endB - 1))) {
      endA--;
      endB--;
    }
    int n = endA - start;
    int m = endB - start;
    if (n == 0 || m == 0) {
      return n + m;
    }
    int[] previous = new int[m + 1];
    int[] current = new int[m + 1];
    for (int j = 0; j <= m; j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= n; i++) {
      current[0] = i;
      String word = a.get(start + i - 1);
      for (int j = 1; j <= m; j++) {
        int substitution = previous[j - 1] + (word.equals(b.get(start + j - 1)) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[m];
  }
}
