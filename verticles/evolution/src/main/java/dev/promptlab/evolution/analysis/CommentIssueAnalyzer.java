package dev.promptlab.evolution.analysis;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds the common issues in trainers' low-rated comments (Spanish and English): which problems are mentioned,
 * by how many comments, with a few examples. Rule-based and deterministic; no network.
 */
public final class CommentIssueAnalyzer {

  /** One rated sample: the stars and the optional comment. */
  public record RatedComment(int rating, String comment) {
  }

  private static final int MAX_EXAMPLES = 3;
  private static final int MAX_EXAMPLE_LENGTH = 200;
  private static final int NEGATION_REACH = 3;
  private static final Pattern CLAUSE_BREAK = Pattern.compile(
    "[.;,:!?\\n\\r()]+|\\b(but|pero|aunque|though|although|however|sin embargo|mientras|while|y|and)\\b");
  private static final Pattern NON_WORD = Pattern.compile("[^a-z0-9]+");

  /** Words that make an aspect word a complaint ("poca profundidad", "lighting is off"). */
  private static final List<List<String>> COMPLAINTS = terms(List.of(
    "no", "not", "lack*", "without", "poor*", "bad*", "wrong", "off", "weird*", "strange*", "odd", "fake", "missing",
    "too", "need*", "more", "less", "low*", "weak*", "little", "changed", "different", "lost", "worse", "ugly",
    "horrible", "terrible", "flat", "isnt", "doesnt", "dont", "nothing", "inconsistent", "incorrect", "unnatural",
    "unrealistic", "improve*", "could be better", "not enough", "sin", "falt*", "poc*", "mal", "mala*", "malo*",
    "pobre*", "rar*", "extran*", "demasiad*", "necesit*", "mas", "menos", "baj*", "debil*", "cambi*", "distint*",
    "diferent*", "perdi*", "peor*", "feo*", "fea*", "incorrect*", "inconsistent*", "antinatural*", "mejorar*",
    "irreal*", "fals*", "nada"));
  /** Words that, just before a symptom, deny it ("no está borroso", "without noise"). */
  private static final Set<String> NEGATORS = Set.of("no", "not", "sin", "without", "nada", "ni", "never", "nunca",
    "isnt", "arent", "doesnt", "dont", "wasnt", "free");

  private final Map<IssueKind, List<List<String>>> symptoms = new EnumMap<>(IssueKind.class);
  private final Map<IssueKind, List<List<String>>> aspects = new EnumMap<>(IssueKind.class);

  public CommentIssueAnalyzer() {
    for (IssueKind kind : IssueKind.values()) {
      symptoms.put(kind, terms(kind.symptoms()));
      aspects.put(kind, terms(kind.aspects()));
    }
  }

  /**
   * Analyses the comments of samples rated at most {@code lowRatingMax}; the rest are only counted.
   *
   * @param maxIssues keep the most frequent issues only
   */
  public IssueAnalysis analyse(List<RatedComment> samples, int lowRatingMax, int maxIssues) {
    Map<IssueKind, Integer> counts = new EnumMap<>(IssueKind.class);
    Map<IssueKind, Set<String>> examples = new EnumMap<>(IssueKind.class);
    int lowRated = 0;
    int commented = 0;
    for (RatedComment sample : samples) {
      if (sample.rating() > lowRatingMax) {
        continue;
      }
      lowRated++;
      if (sample.comment() == null || sample.comment().isBlank()) {
        continue;
      }
      commented++;
      for (IssueKind kind : issuesIn(sample.comment())) {
        counts.merge(kind, 1, Integer::sum);
        Set<String> list = examples.computeIfAbsent(kind, k -> new LinkedHashSet<>());
        if (list.size() < MAX_EXAMPLES) {
          list.add(example(sample.comment()));
        }
      }
    }
    List<Issue> issues = new ArrayList<>();
    counts.forEach((kind, count) -> issues.add(new Issue(kind, count, List.copyOf(examples.get(kind)))));
    // Most frequent first; ties keep the catalogue order, so the result is deterministic.
    issues.sort((a, b) -> a.count() != b.count() ? Integer.compare(b.count(), a.count())
      : a.kind().compareTo(b.kind()));
    return new IssueAnalysis(samples.size(), lowRated, commented,
      List.copyOf(issues.subList(0, Math.min(maxIssues, issues.size()))));
  }

  /** The issues one comment mentions (each at most once). */
  public Set<IssueKind> issuesIn(String comment) {
    Set<IssueKind> found = new LinkedHashSet<>();
    for (String clause : CLAUSE_BREAK.split(normalise(comment))) {
      String[] tokens = NON_WORD.split(clause.strip());
      if (tokens.length == 0 || (tokens.length == 1 && tokens[0].isEmpty())) {
        continue;
      }
      boolean complaint = containsAny(tokens, COMPLAINTS);
      for (IssueKind kind : IssueKind.values()) {
        if (hasUndeniedSymptom(tokens, symptoms.get(kind)) || (complaint && containsAny(tokens, aspects.get(kind)))) {
          found.add(kind);
        }
      }
    }
    return found;
  }

  private static boolean hasUndeniedSymptom(String[] tokens, List<List<String>> terms) {
    for (List<String> term : terms) {
      for (int i = 0; i < tokens.length; i++) {
        if (matchesAt(tokens, i, term) && !deniedBefore(tokens, i)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean deniedBefore(String[] tokens, int index) {
    for (int i = Math.max(0, index - NEGATION_REACH); i < index; i++) {
      if (NEGATORS.contains(tokens[i])) {
        return true;
      }
    }
    return false;
  }

  private static boolean containsAny(String[] tokens, List<List<String>> terms) {
    for (List<String> term : terms) {
      for (int i = 0; i < tokens.length; i++) {
        if (matchesAt(tokens, i, term)) {
          return true;
        }
      }
    }
    return false;
  }

  private static boolean matchesAt(String[] tokens, int start, List<String> term) {
    if (start + term.size() > tokens.length) {
      return false;
    }
    for (int j = 0; j < term.size(); j++) {
      String word = term.get(j);
      String token = tokens[start + j];
      boolean match = word.endsWith("*") ? token.startsWith(word.substring(0, word.length() - 1)) : token.equals(word);
      if (!match) {
        return false;
      }
    }
    return true;
  }

  private static List<List<String>> terms(List<String> words) {
    List<List<String>> terms = new ArrayList<>();
    for (String w : words) {
      terms.add(List.of(normalise(w).split(" ")));
    }
    return List.copyOf(terms);
  }

  /** Lower case, accents and apostrophes removed, so "iluminación" matches "ilumin*" and "isn't" is "isnt". */
  static String normalise(String text) {
    String stripped = Normalizer.normalize(text, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
    return stripped.toLowerCase(Locale.ROOT).replaceAll("['’`´]", "");
  }

  /**
   * A comment as quoted to the model: one line, control, format (zero-width, bidi overrides) and separator
   * characters turned into spaces, so a quotation cannot fake a line of its own or hide text; bounded in length.
   */
  private static String example(String comment) {
    String oneLine = comment.replaceAll("[\\p{Cc}\\p{Cf}\\p{Z}\\s]+", " ").strip();
    return oneLine.length() <= MAX_EXAMPLE_LENGTH ? oneLine : oneLine.substring(0, MAX_EXAMPLE_LENGTH - 1) + "…";
  }
}
