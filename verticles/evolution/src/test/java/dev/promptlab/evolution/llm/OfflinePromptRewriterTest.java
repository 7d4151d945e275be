package dev.promptlab.evolution.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.evolution.analysis.Issue;
import dev.promptlab.evolution.analysis.IssueKind;
import java.util.List;
import org.junit.jupiter.api.Test;

class OfflinePromptRewriterTest {

  private static final String PROMPT = "ultra-realistic, photorealistic interior design render, 8k, sharp focus";
  private static final String NEGATIVE = "drawn, sketch, cartoon";
  private final OfflinePromptRewriter rewriter = new OfflinePromptRewriter();

  private static EvolutionRequest request(String prompt, List<Issue> issues) {
    return new EvolutionRequest("system", prompt, NEGATIVE, 2.4, 10, issues);
  }

  private static EvolutionProposal accepted(EvolutionRequest request, String raw) {
    return assertInstanceOf(ProposalGuard.Accepted.class,
      ProposalGuard.check(raw, request.currentPrompt(), request.currentNegativePrompt())).proposal();
  }

  @Test
  void turnsTheAnalysedIssuesIntoPromptEditsThatPassTheGuard() {
    EvolutionRequest request = request(PROMPT, List.of(new Issue(IssueKind.FLAT_MONTAGE, 3, List.of("plano")),
      new Issue(IssueKind.CGI_LOOK, 2, List.of("parece un render"))));
    EvolutionProposal p = accepted(request, rewriter.rewrite(request));
    assertTrue(p.improvedPrompt().startsWith("ultra-realistic, photorealistic interior design photograph, 8k"));
    assertTrue(p.improvedPrompt().contains("objects grounded with contact shadows"));
    assertTrue(p.improvedPrompt().contains("shot on a full-frame camera"));
    assertTrue(p.improvedNegativePrompt().startsWith(NEGATIVE + ", flat, montage"));
    assertTrue(p.changes().get(0).contains("(flat, montage-like look, 3 comments)"), p.changes().toString());
    assertTrue(p.reasoning().contains("flat, montage-like look (3), looks like a CGI render or a drawing (2)"));
    assertTrue(p.expectedImprovement().startsWith("Fewer low ratings mentioning flat, montage-like look"));
  }

  @Test
  void isDeterministic() {
    EvolutionRequest request = request(PROMPT, List.of(new Issue(IssueKind.LIGHTING, 1, List.of("oscuro"))));
    assertEquals(rewriter.rewrite(request), rewriter.rewrite(request));
  }

  @Test
  void addsOneGeneralDescriptorWhenNoIssueWasFound() {
    EvolutionRequest request = request(PROMPT, List.of());
    EvolutionProposal p = accepted(request, rewriter.rewrite(request));
    assertEquals(PROMPT + ", professional interior photography", p.improvedPrompt());
    EvolutionRequest again = request(p.improvedPrompt(), List.of());
    assertEquals(p.improvedPrompt() + ", high dynamic range", accepted(again, rewriter.rewrite(again)).improvedPrompt());
  }

  @Test
  void proposesNothingNewWhenEverythingIsThereSoTheGuardRefuses() {
    EvolutionRequest first = request(PROMPT, List.of(new Issue(IssueKind.NOISE, 2, List.of("ruido"))));
    EvolutionProposal p = accepted(first, rewriter.rewrite(first));
    EvolutionRequest second = new EvolutionRequest("system", p.improvedPrompt(), p.improvedNegativePrompt(), 2.0, 10,
      first.issues());
    ProposalGuard.Verdict verdict = ProposalGuard.check(rewriter.rewrite(second), second.currentPrompt(),
      second.currentNegativePrompt());
    assertEquals("the proposal does not change the prompt",
      assertInstanceOf(ProposalGuard.Refused.class, verdict).reason());
  }

  @Test
  void staysWithinThePromptBudget() {
    String longPrompt = "x".repeat(1480);
    EvolutionRequest request = request(longPrompt, List.of(new Issue(IssueKind.DEPTH, 4, List.of("flat"))));
    EvolutionProposal p = accepted(request, rewriter.rewrite(request));
    assertEquals(longPrompt, p.improvedPrompt());
    assertFalse(p.improvedNegativePrompt() == null, "the negative prompt still changes");
    assertTrue(p.reasoning().contains("left out to keep the prompt under 1500"));
  }
}
