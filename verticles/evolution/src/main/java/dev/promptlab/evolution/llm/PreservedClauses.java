package dev.promptlab.evolution.llm;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The clauses of a prompt that protect the room: every comma-separated clause that starts with "preserve" or
 * "keep" ("preserve the exact spatial layout", "keep the exact original colors and materials"). A list inside such
 * a clause stays with it: "keep every element's exact shape, size and position" is one clause, because the
 * fragments after its comma run up to one with "and" or "or" (within three fragments). An evolved prompt must
 * keep each of them word for word (case and white space aside), whatever the model was asked in a comment.
 */
public final class PreservedClauses {

  private static final Pattern STARTS = Pattern.compile("^(preserve|keep)\\b.*");
  private static final Pattern ENDS_LIST = Pattern.compile(".*\\b(and|or)\\b.*");
  private static final int MAX_LIST_FRAGMENTS = 3;

  private PreservedClauses() {
  }

  /** The preserved clauses of {@code prompt}, normalised (lower case, single spaces), in order. */
  public static List<String> of(String prompt) {
    List<String> fragments = fragments(prompt);
    List<String> clauses = new ArrayList<>();
    for (int i = 0; i < fragments.size(); i++) {
      String clause = fragments.get(i);
      if (!STARTS.matcher(clause).matches()) {
        continue;
      }
      if (!ENDS_LIST.matcher(clause).matches()) {
        int end = listEnd(fragments, i);
        if (end > i) {
          clause = String.join(", ", fragments.subList(i, end + 1));
          i = end;
        }
      }
      clauses.add(clause);
    }
    return clauses;
  }

  /** The preserved clauses of {@code current} that {@code proposed} does not contain as whole clauses. */
  public static List<String> missing(String current, String proposed) {
    String joined = ", " + String.join(", ", fragments(proposed)) + ", ";
    return of(current).stream().filter(clause -> !joined.contains(", " + clause + ", ")).toList();
  }

  /** The index of the fragment that closes the list begun at {@code start}, or {@code start} when none does. */
  private static int listEnd(List<String> fragments, int start) {
    for (int j = start + 1; j < fragments.size() && j <= start + MAX_LIST_FRAGMENTS; j++) {
      String fragment = fragments.get(j);
      if (STARTS.matcher(fragment).matches()) {
        return start;
      }
      if (ENDS_LIST.matcher(fragment).matches()) {
        return j;
      }
    }
    return start;
  }

  private static List<String> fragments(String prompt) {
    List<String> fragments = new ArrayList<>();
    if (prompt == null) {
      return fragments;
    }
    for (String part : ProposalGuard.normalise(prompt).toLowerCase(Locale.ROOT).split(",")) {
      String clean = part.strip();
      if (!clean.isEmpty()) {
        fragments.add(clean);
      }
    }
    return fragments;
  }
}
