package dev.promptlab.textopt.meta;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The meta-model's inputs: a few numbers about a {@link Proposal}, each one a reason a rewrite may help or hurt that
 * can be read without calling a model. Kept small on purpose: the history the model learns from is a few dozen to a
 * few hundred evaluated candidates, and every feature costs data.
 *
 * <table>
 *   <caption>The features, in vector order</caption>
 *   <tr><th>name</th><th>what</th><th>why it may carry signal</th></tr>
 *   <tr><td>{@code length_change}</td><td>ln((candidate chars + 1) / (parent chars + 1))</td>
 *     <td>rewrites that balloon a prompt add instructions that may conflict; rewrites that cut it may drop the
 *     instruction that was working</td></tr>
 *   <tr><td>{@code length}</td><td>ln(1 + candidate chars / 1000)</td>
 *     <td>long prompts dilute each instruction</td></tr>
 *   <tr><td>{@code edit_share}</td><td>word edit distance / the longer prompt's words</td>
 *     <td>a small targeted edit keeps what already works; a full rewrite is a new draw whose expected gain falls
 *     as the incumbent gets better</td></tr>
 *   <tr><td>{@code removed_share}</td><td>share of the parent's words (counted with repeats) the candidate no
 *     longer has</td>
 *     <td>what the incumbent says is what made it the incumbent: a candidate that drops much of it risks dropping
 *     the instruction that works, where one that only adds risks less; the edit distance alone does not tell the
 *     two apart</td></tr>
 *   <tr><td>{@code kind_<kind>}</td><td>per {@link InstructionKind}: change in its count, clamped to ±2, halved</td>
 *     <td>adding worked examples or format constraints helps some tasks and steps of reasoning hurt others; the
 *     weight per kind is learnt from past runs</td></tr>
 *   <tr><td>{@code failure_overlap}</td><td>share of the words the candidate adds (three characters or more)
 *     that occur in the failure sample it was written from; 0 when it adds none</td>
 *     <td>a rewrite that speaks of the observed failures (quotes a failing input, names the field that was
 *     wrong) aims at them; one that does not is a guess</td></tr>
 *   <tr><td>{@code parent_score}</td><td>the incumbent's held-out score</td>
 *     <td>the headroom: the better the incumbent, the smaller and rarer the gains</td></tr>
 *   <tr><td>{@code iteration}</td><td>ln(iteration)</td>
 *     <td>the easy fixes come first; later proposals gain less</td></tr>
 *   <tr><td>{@code optimizer_rank}</td><td>rank / (K - 1); 0 when K is 1</td>
 *     <td>the optimizer model's own order, which is worth something and is what the loop follows without the
 *     meta-model</td></tr>
 * </table>
 *
 * <p>The cost is linear in the prompts' lengths, except the word edit distance, quadratic in the words between the
 * first and the last changed word. A 20 000-character prompt takes some 20 ms (a local edit) to 30 ms (a full
 * rewrite), mostly the instruction-kind patterns: compute features off the event loop.
 */
public final class ProposalFeatures {

  /**
   * Changes whenever the features' meaning or order changes, so that feature vectors kept anywhere are not mixed
   * across versions (the runs keep none: they recompute features from the stored prompts and failures).
   */
  public static final int VERSION = 1;

  /** The features' names, in vector order. */
  public static final List<String> NAMES;

  private static final int KIND_CLAMP = 2;
  private static final int MIN_OVERLAP_WORD = 3;

  static {
    List<String> names = new ArrayList<>(List.of("length_change", "length", "edit_share", "removed_share"));
    for (InstructionKind kind : InstructionKind.values()) {
      names.add("kind_" + kind.name().toLowerCase(Locale.ROOT));
    }
    names.addAll(List.of("failure_overlap", "parent_score", "iteration", "optimizer_rank"));
    NAMES = Collections.unmodifiableList(names);
  }

  private ProposalFeatures() {
  }

  /** The feature vector of a proposal, in {@link #NAMES} order. */
  public static double[] of(Proposal proposal) {
    String parentText = proposal.parent().text();
    String candidateText = proposal.candidate().text();
    List<String> parentWords = WordDistance.words(parentText);
    List<String> candidateWords = WordDistance.words(candidateText);

    double[] x = new double[NAMES.size()];
    int i = 0;
    x[i++] = Math.log((candidateText.length() + 1.0) / (parentText.length() + 1.0));
    x[i++] = Math.log1p(candidateText.length() / 1000.0);
    int longer = Math.max(Math.max(parentWords.size(), candidateWords.size()), 1);
    x[i++] = WordDistance.distance(parentWords, candidateWords) / (double) longer;
    x[i++] = parentWords.isEmpty() ? 0 : WordDistance.unmatched(parentWords, candidateWords)
      / (double) parentWords.size();
    int[] before = InstructionKind.count(parentText);
    int[] after = InstructionKind.count(candidateText);
    for (int k = 0; k < before.length; k++) {
      int change = after[k] - before[k];
      x[i++] = Math.max(-KIND_CLAMP, Math.min(KIND_CLAMP, change)) / (double) KIND_CLAMP;
    }
    x[i++] = failureOverlap(parentWords, candidateWords, proposal.failureSample());
    x[i++] = proposal.parentScore();
    x[i++] = Math.log(proposal.iteration());
    x[i] = proposal.proposals() == 1 ? 0 : proposal.optimizerRank() / (double) (proposal.proposals() - 1);
    return x;
  }

  private static double failureOverlap(List<String> parentWords, List<String> candidateWords, String failures) {
    Set<String> added = new HashSet<>();
    Set<String> before = new HashSet<>(parentWords);
    for (String word : candidateWords) {
      if (word.length() >= MIN_OVERLAP_WORD && !before.contains(word)) {
        added.add(word);
      }
    }
    if (added.isEmpty()) {
      return 0;
    }
    Set<String> failureWords = new HashSet<>(WordDistance.words(failures));
    long shared = added.stream().filter(failureWords::contains).count();
    return shared / (double) added.size();
  }
}
