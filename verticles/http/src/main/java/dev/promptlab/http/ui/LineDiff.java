package dev.promptlab.http.ui;

import java.util.ArrayList;
import java.util.List;

/**
 * The lines one text keeps, removes and adds on the way to another: a longest common subsequence of lines, after the
 * common beginning and end are set aside. Plain Java, for the versions of a text prompt.
 */
public final class LineDiff {

  /**
   * Beyond this many cells (changed lines of one text times those of the other) the table of common subsequences is
   * not built and the changed middle is shown as removed, then added: still a correct diff, only a coarser one, and
   * never a long pause on an event loop for two pathological 20 000-line prompts.
   */
  static final long MAX_CELLS = 4_000_000;

  /** What a line of the diff is. */
  public enum Kind { SAME, REMOVED, ADDED }

  /**
   * One line: its text and its number in the old text, the new one, or both (from 1; null where it is not there).
   */
  public record Line(Kind kind, String text, Integer oldNumber, Integer newNumber) {
  }

  private LineDiff() {
  }

  /** The diff from {@code before} to {@code after}; a null text is an empty one. */
  public static List<Line> of(String before, String after) {
    List<String> a = lines(before);
    List<String> b = lines(after);
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
    List<Line> out = new ArrayList<>(a.size() + b.size());
    for (int i = 0; i < start; i++) {
      out.add(new Line(Kind.SAME, a.get(i), i + 1, i + 1));
    }
    middle(a, b, start, endA, endB, out);
    for (int i = endA, j = endB; i < a.size(); i++, j++) {
      out.add(new Line(Kind.SAME, a.get(i), i + 1, j + 1));
    }
    return out;
  }

  /** Whether nothing differs. */
  public static boolean same(List<Line> diff) {
    return diff.stream().allMatch(line -> line.kind() == Kind.SAME);
  }

  private static void middle(List<String> a, List<String> b, int start, int endA, int endB, List<Line> out) {
    int n = endA - start;
    int m = endB - start;
    if ((long) n * m > MAX_CELLS) {
      for (int i = start; i < endA; i++) {
        out.add(new Line(Kind.REMOVED, a.get(i), i + 1, null));
      }
      for (int j = start; j < endB; j++) {
        out.add(new Line(Kind.ADDED, b.get(j), null, j + 1));
      }
      return;
    }
    // lengths[i][j]: the longest common subsequence of a[start + i ..] and b[start + j ..].
    int[][] lengths = new int[n + 1][m + 1];
    for (int i = n - 1; i >= 0; i--) {
      for (int j = m - 1; j >= 0; j--) {
        lengths[i][j] = a.get(start + i).equals(b.get(start + j)) ? lengths[i + 1][j + 1] + 1
          : Math.max(lengths[i + 1][j], lengths[i][j + 1]);
      }
    }
    int i = 0;
    int j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && a.get(start + i).equals(b.get(start + j))) {
        out.add(new Line(Kind.SAME, a.get(start + i), start + i + 1, start + j + 1));
        i++;
        j++;
      } else if (j < m && (i == n || lengths[i][j + 1] >= lengths[i + 1][j])) {
        // Removals before additions at the same place read best; so an addition waits while a removal keeps as much.
        if (i < n && lengths[i + 1][j] == lengths[i][j + 1]) {
          out.add(new Line(Kind.REMOVED, a.get(start + i), start + i + 1, null));
          i++;
        } else {
          out.add(new Line(Kind.ADDED, b.get(start + j), null, start + j + 1));
          j++;
        }
      } else {
        out.add(new Line(Kind.REMOVED, a.get(start + i), start + i + 1, null));
        i++;
      }
    }
  }

  /** The lines of {@code text}: split on line breaks (CR LF, LF or CR); an empty text has none. */
  static List<String> lines(String text) {
    if (text == null || text.isEmpty()) {
      return List.of();
    }
    return List.of(text.split("\r\n|\n|\r", -1));
  }
}
