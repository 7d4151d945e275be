package dev.promptlab.textopt.meta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProposalFeaturesTest {

  private static final PromptState PARENT = new PromptState(
    "You are a careful assistant that extracts the supplier from an invoice.",
    "Answer with the supplier's name only.");

  @Test
  void anUnchangedCandidateHasNoChangeFeatures() {
    double[] x = ProposalFeatures.of(new Proposal(PARENT, PARENT, "", 0.5, 1, 0, 1));
    assertEquals(ProposalFeatures.NAMES.size(), x.length);
    assertEquals(0, feature(x, "length_change"));
    assertEquals(0, feature(x, "edit_share"));
    assertEquals(0, feature(x, "removed_share"));
    for (InstructionKind kind : InstructionKind.values()) {
      assertEquals(0, feature(x, "kind_" + kind.name().toLowerCase()), kind.name());
    }
    assertEquals(0, feature(x, "failure_overlap"));
    assertEquals(0.5, feature(x, "parent_score"));
    assertEquals(0, feature(x, "iteration"));
    assertEquals(0, feature(x, "optimizer_rank"));
    assertEquals(Math.log1p(PARENT.text().length() / 1000.0), feature(x, "length"), 1e-12);
  }

  @Test
  void addedAndRemovedInstructionKindsAreSigned() {
    PromptState stepwise = new PromptState(PARENT.systemPrompt() + " Think step by step.",
      "Answer with the supplier's name.");
    double[] x = ProposalFeatures.of(new Proposal(PARENT, stepwise, "", 0.5, 1, 0, 1));
    assertEquals(0.5, feature(x, "kind_step_by_step"));
    // "only" went away: one format constraint fewer.
    assertEquals(-0.5, feature(x, "kind_format_constraint"));
    assertEquals(0, feature(x, "kind_role"));
    assertTrue(feature(x, "length_change") > 0);
    // Four words inserted, one deleted, over the candidate's 22 words.
    assertEquals(5.0 / 22, feature(x, "edit_share"), 1e-12);
    // "only" is the one of the parent's 19 words the candidate lost.
    assertEquals(1.0 / 19, feature(x, "removed_share"), 1e-12);
    double[] back = ProposalFeatures.of(new Proposal(stepwise, PARENT, "", 0.5, 1, 0, 1));
    assertEquals(4.0 / 22, feature(back, "removed_share"), 1e-12);
  }

  @Test
  void kindChangesAreClampedAtTwoInstructions() {
    PromptState examples = new PromptState(PARENT.systemPrompt(), PARENT.outputPrompt()
      + " Example: ACME Ltd. Example: Globex. Example: Initech. For instance: Umbrella.");
    double[] x = ProposalFeatures.of(new Proposal(PARENT, examples, "", 0.5, 1, 0, 1));
    assertEquals(1, feature(x, "kind_examples"));
    double[] back = ProposalFeatures.of(new Proposal(examples, PARENT, "", 0.5, 1, 0, 1));
    assertEquals(-1, feature(back, "kind_examples"));
  }

  @Test
  void failureOverlapIsTheShareOfAddedWordsFoundInTheFailures() {
    String failures = "input: Invoice 443 from ACME Corporation, 3 May | expected: ACME Corporation | got: Invoice 443";
    PromptState quoting = new PromptState(PARENT.systemPrompt(),
      PARENT.outputPrompt() + " ACME Corporation is a supplier.");
    double[] x = ProposalFeatures.of(new Proposal(PARENT, quoting, failures, 0.5, 1, 0, 1));
    // Added words of three characters or more: acme, corporation (in the failures); "is" is too short;
    // "supplier" is already in the parent. Below: never, acme, blindly ("answer" is in the parent).
    assertEquals(1, feature(x, "failure_overlap"));
    PromptState half = new PromptState(PARENT.systemPrompt(), PARENT.outputPrompt() + " Never answer ACME blindly.");
    double[] y = ProposalFeatures.of(new Proposal(PARENT, half, failures, 0.5, 1, 0, 1));
    assertEquals(1.0 / 3, feature(y, "failure_overlap"), 1e-12);
    double[] none = ProposalFeatures.of(new Proposal(PARENT, half, "", 0.5, 1, 0, 1));
    assertEquals(0, feature(none, "failure_overlap"));
  }

  @Test
  void contextFeaturesAreScaled() {
    double[] x = ProposalFeatures.of(new Proposal(PARENT, PARENT, "", 0.8, 5, 2, 5));
    assertEquals(0.8, feature(x, "parent_score"));
    assertEquals(Math.log(5), feature(x, "iteration"), 1e-12);
    assertEquals(0.5, feature(x, "optimizer_rank"));
  }

  @Test
  void wordDistanceCountsWholeWordEdits() {
    assertEquals(3, WordDistance.distance(WordDistance.words("the kitten sat on the mat"),
      WordDistance.words("a sitting kitten sat on the mat today")));
    assertEquals(0, WordDistance.distance(List.of(), List.of()));
    assertEquals(2, WordDistance.distance(List.of(), WordDistance.words("deux mots")));
    // Words of any script, compared without case.
    assertEquals(List.of("résumé", "日本語", "42"), WordDistance.words("Résumé, 日本語 (42)!"));
    // Repeated words count as often as they occur.
    assertEquals(1, WordDistance.unmatched(List.of("a", "a", "b"), List.of("a", "b", "c")));
    assertEquals(0, WordDistance.unmatched(List.of(), List.of("a")));
    assertEquals(1, WordDistance.distance(WordDistance.words("Антон ест яблоко"),
      WordDistance.words("антон ест грушу")));
  }

  @Test
  void aLocalRewriteOfALongPromptIsMeasuredExactly() {
    StringBuilder body = new StringBuilder();
    for (int i = 0; body.length() < 20_000; i++) {
      body.append("Rule ").append(i).append(": keep field ").append(i).append(" as written. ");
    }
    PromptState parent = new PromptState(body.toString(), "");
    PromptState candidate = new PromptState(body.toString().replace("Rule 300: keep field 300 as written.",
      "Rule 300: drop field 300 entirely, it is noise."), "");
    assertTrue(!candidate.equals(parent));
    double[] x = ProposalFeatures.of(new Proposal(parent, candidate, "", 0.5, 1, 0, 1));
    int words = WordDistance.words(candidate.text()).size();
    // "keep" → "drop", "as" → "entirely", "written" → "it", then "is noise" inserted.
    assertEquals(5.0 / words, feature(x, "edit_share"), 1e-12);
  }

  @Test
  void impossibleProposalsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Proposal(PARENT, PARENT, "", 1.2, 1, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new Proposal(PARENT, PARENT, "", Double.NaN, 1, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new Proposal(PARENT, PARENT, "", 0.5, 0, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new Proposal(PARENT, PARENT, "", 0.5, 1, 3, 3));
    assertThrows(IllegalArgumentException.class, () -> new Proposal(PARENT, PARENT, "", 0.5, 1, -1, 3));
    assertThrows(NullPointerException.class, () -> new Proposal(PARENT, null, "", 0.5, 1, 0, 1));
  }

  static double feature(double[] x, String name) {
    int index = ProposalFeatures.NAMES.indexOf(name);
    assertTrue(index >= 0, "no feature " + name);
    return x[index];
  }
}
