package dev.promptlab.textopt.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.contract.TextRunFailure;
import dev.promptlab.textopt.run.CandidateOrder.Candidate;
import dev.promptlab.textopt.run.CandidateOrder.OrderContext;
import dev.promptlab.textopt.run.CandidateOrder.RankedCandidate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MetaModelOrderTest {

  private static final PromptState INCUMBENT = new PromptState("Extract the supplier of the invoice.",
    "Answer with the name.");

  private static TextRunFailure failure(int i) {
    return new TextRunFailure("r" + i, "Invoice " + i + " from Vendor" + i + " to Client" + i, "Vendor" + i,
      "Client" + i, 0);
  }

  /** A candidate that adds a worked example quoting the failure it was written from. */
  private static PromptState withExample(int i) {
    return new PromptState(INCUMBENT.systemPrompt(), INCUMBENT.outputPrompt() + " Example: Invoice " + i
      + " from Vendor" + i + " to Client" + i + " -> Vendor" + i + ".");
  }

  /** A candidate that asks for reasoning and drops the answer's form. */
  private static PromptState withSteps() {
    return new PromptState(INCUMBENT.systemPrompt() + " Think step by step and explain your reasoning.", "");
  }

  /** Examples from the failures gained about 0.1, reasoning lost about 0.05, over several runs. */
  private static List<PastCandidate> history(int n) {
    Random random = new Random(3);
    List<PastCandidate> history = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean example = i % 2 == 0;
      history.add(new PastCandidate(1 + i / 4, INCUMBENT, example ? withExample(i) : withSteps(), List.of(failure(i)),
        0.5 + 0.01 * (i % 5), 1 + i % 4, example ? 1 : 0, 2,
        (example ? 0.1 : -0.05) + 0.01 * random.nextGaussian()));
    }
    return history;
  }

  private static OrderContext context(List<PastCandidate> history) {
    return new OrderContext(7, 3, "exact_match", 2, INCUMBENT, 0.55, 0.01, List.of(failure(99)), history);
  }

  @Test
  void itPutsTheCandidateItsHistoryFavoursFirstWithItsPredictedGain() {
    List<Candidate> candidates = List.of(new Candidate(1, withSteps(), "reason first"),
      new Candidate(2, withExample(99), "show the failing case"));
    List<RankedCandidate> ranked = new MetaModelOrder(20, 2000).order(context(history(30)), candidates);
    assertEquals(List.of(2, 1), ranked.stream().map(r -> r.candidate().ordinal()).toList());
    assertNotNull(ranked.get(0).predictedGain());
    assertEquals(0.1, ranked.get(0).predictedGain(), 0.03);
    assertEquals(-0.05, ranked.get(1).predictedGain(), 0.03);
  }

  @Test
  void aPastCandidatesFeaturesAreComputedOnce() {
    MetaModelOrder order = new MetaModelOrder(20, 2000);
    List<Candidate> candidates = List.of(new Candidate(1, withSteps(), null), new Candidate(2, withExample(99), null));
    List<RankedCandidate> first = order.order(context(history(30)), candidates);
    assertEquals(30, order.computedFeatures());
    List<RankedCandidate> again = order.order(context(history(40)), candidates);
    assertEquals(40, order.computedFeatures(), "only the ten new past candidates");
    assertEquals(first.stream().map(r -> r.candidate().ordinal()).toList(),
      again.stream().map(r -> r.candidate().ordinal()).toList());
  }

  @Test
  void withTooLittleHistoryItKeepsTheProposalOrderAndPredictsNothing() {
    List<Candidate> candidates = List.of(new Candidate(1, withSteps(), null), new Candidate(2, withExample(99), null));
    List<RankedCandidate> ranked = new MetaModelOrder(20, 2000).order(context(history(19)), candidates);
    assertEquals(List.of(1, 2), ranked.stream().map(r -> r.candidate().ordinal()).toList());
    assertTrue(ranked.stream().allMatch(r -> r.predictedGain() == null));
  }

  @Test
  void theFailureTextIsWhatTheOptimizerModelRead() {
    assertEquals("input: Invoice 1 from Vendor1 to Client1\nexpected: Vendor1\ngot: Client1\n\n"
      + "input: Invoice 2 from Vendor2 to Client2\nexpected: Vendor2\ngot: Client2",
      MetaModelOrder.failureText(List.of(failure(1), failure(2))));
    assertEquals("", MetaModelOrder.failureText(List.of()));
  }
}
