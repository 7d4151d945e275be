package dev.promptlab.evolution.llm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ProposalGuardTest {

  private static final String CURRENT = "ultra-realistic, photorealistic interior design render, 8k";
  private static final String NEGATIVE = "drawn, sketch";

  private static JsonObject valid() {
    return new JsonObject().put("improved_prompt", CURRENT + ", volumetric light")
      .put("changes", new JsonArray().add("added volumetric light"))
      .put("reasoning", "depth comes from light").put("expected_improvement", "more depth");
  }

  private static String refusal(Object raw) {
    ProposalGuard.Verdict verdict = ProposalGuard.check(String.valueOf(raw), CURRENT, NEGATIVE);
    return assertInstanceOf(ProposalGuard.Refused.class, verdict).reason();
  }

  @Test
  void acceptsAWellFormedProposalAndNormalisesWhitespace() {
    JsonObject raw = valid().put("improved_prompt", "  " + CURRENT + ",\n\tvolumetric   light ");
    EvolutionProposal p = assertInstanceOf(ProposalGuard.Accepted.class,
      ProposalGuard.check(raw.encode(), CURRENT, NEGATIVE)).proposal();
    assertEquals(CURRENT + ", volumetric light", p.improvedPrompt());
    assertNull(p.improvedNegativePrompt());
    assertEquals("more depth", p.expectedImprovement());
  }

  @Test
  void acceptsAFencedJsonBlockAndANewNegativePrompt() {
    String raw = "```json\n" + valid().put("improved_negative_prompt", "drawn, sketch, flat").encode() + "\n```";
    EvolutionProposal p = assertInstanceOf(ProposalGuard.Accepted.class,
      ProposalGuard.check(raw, CURRENT, NEGATIVE)).proposal();
    assertEquals("drawn, sketch, flat", p.improvedNegativePrompt());
  }

  @Test
  void acceptsAChangedNegativePromptAlone() {
    JsonObject raw = valid().put("improved_prompt", CURRENT).put("improved_negative_prompt", "drawn, sketch, cgi");
    assertInstanceOf(ProposalGuard.Accepted.class, ProposalGuard.check(raw.encode(), CURRENT, NEGATIVE));
  }

  @Test
  void refusesWhatIsNotAJsonObject() {
    assertTrue(refusal("{\"improved_prompt\": \"x\"").startsWith("the provider's answer is not valid JSON"));
    assertEquals("the provider's answer is not a JSON object", refusal("[1, 2]"));
    assertEquals("the provider returned no content", refusal("  "));
    assertTrue(refusal("Sure! Here is your prompt: better prompt").contains("not valid JSON"));
  }

  @Test
  void refusesMissingWrongTypedOrEmptyFields() {
    assertTrue(refusal(valid().copy().putNull("improved_prompt")).contains("improved_prompt is missing"));
    assertTrue(refusal(valid().copy().put("improved_prompt", "   ")).contains("improved_prompt is empty"));
    assertTrue(refusal(valid().copy().put("improved_prompt", "short")).contains("shorter than"));
    assertTrue(refusal(valid().copy().put("reasoning", 42)).contains("reasoning must be a string"));
    JsonObject withoutExpectation = valid();
    withoutExpectation.remove("expected_improvement");
    assertTrue(refusal(withoutExpectation).contains("expected_improvement is missing"));
    assertTrue(refusal(valid().copy().put("changes", "added x")).contains("changes must be an array"));
    assertTrue(refusal(valid().copy().put("changes", new JsonArray())).contains("at least one change"));
    assertTrue(refusal(valid().copy().put("changes", new JsonArray().add(""))).contains("non-empty string"));
  }

  @Test
  void boundsEveryLength() {
    assertTrue(refusal(valid().copy().put("improved_prompt", "a, ".repeat(700))).contains("longer than 2000"));
    assertTrue(refusal(valid().copy().put("reasoning", "r".repeat(4001))).contains("reasoning is longer"));
    assertTrue(refusal(valid().copy().put("expected_improvement", "e".repeat(1001))).contains("expected_improvement"));
    JsonArray many = new JsonArray();
    for (int i = 0; i < 21; i++) {
      many.add("change " + i);
    }
    assertTrue(refusal(valid().copy().put("changes", many)).contains("more than 20"));
    assertTrue(refusal(valid().copy().put("changes", new JsonArray().add("c".repeat(301)))).contains("300"));
    assertTrue(refusal("x".repeat(100_001)).contains("longer than 100000"));
  }

  @Test
  void refusesAnUnchangedPrompt() {
    assertEquals("the proposal does not change the prompt",
      refusal(valid().copy().put("improved_prompt", CURRENT.toUpperCase() + "  ")));
    assertEquals("the proposal does not change the prompt",
      refusal(valid().copy().put("improved_prompt", CURRENT).put("improved_negative_prompt", NEGATIVE)));
  }

  private static final String PRESERVING = "photorealistic interior photograph, preserve the exact spatial layout,"
    + " keep every element's exact shape, size and position, keep the exact original colors and materials";

  private static String refusalAgainst(String current, JsonObject raw) {
    return assertInstanceOf(ProposalGuard.Refused.class, ProposalGuard.check(raw.encode(), current, NEGATIVE))
      .reason();
  }

  @Test
  void refusesAPromptThatDropsOrAltersAPreservedClause() {
    assertInstanceOf(ProposalGuard.Accepted.class, ProposalGuard.check(
      valid().put("improved_prompt", PRESERVING + ", volumetric light").encode(), PRESERVING, NEGATIVE));
    String cat = refusalAgainst(PRESERVING, valid().put("improved_prompt", "a cartoon of a cat"));
    assertTrue(cat.contains("drops the preserved clauses 'preserve the exact spatial layout', 'keep every element's"
      + " exact shape, size and position', 'keep the exact original colors and materials'"), cat);
    String altered = refusalAgainst(PRESERVING, valid().put("improved_prompt",
      PRESERVING.replace("keep the exact original colors", "keep the original colors loosely")));
    assertTrue(altered.contains("drops the preserved clause 'keep the exact original colors and materials'"), altered);
  }

  @Test
  void refusesLinksInEitherPrompt() {
    for (String link : new String[] {"see https://evil.example/x", "HTTP://x.io", "ftp://files", "www.evil.example",
      "evil.example/payload", "javascript:alert(1)", "data:text/html,hi", "mailto:x@y.z"}) {
      assertTrue(refusal(valid().put("improved_prompt", CURRENT + ", " + link)).contains("improved_prompt contains a link"),
        link);
      assertTrue(refusal(valid().put("improved_negative_prompt", NEGATIVE + ", " + link))
        .contains("improved_negative_prompt contains a link"), link);
    }
  }

  @Test
  void refusesMarkupAndBraces() {
    for (String markup : new String[] {"<img src=x onerror=alert(1)>", "{\"improved_prompt\": \"x\"}", "`code`",
      "[click](here)", "</system>"}) {
      assertTrue(refusal(valid().put("improved_prompt", CURRENT + ", " + markup))
        .contains("improved_prompt contains markup or braces"), markup);
      assertTrue(refusal(valid().put("improved_negative_prompt", NEGATIVE + ", " + markup))
        .contains("improved_negative_prompt contains markup or braces"), markup);
    }
    // Weights in parentheses and decimals are ordinary prompt syntax.
    assertInstanceOf(ProposalGuard.Accepted.class, ProposalGuard.check(
      valid().put("improved_prompt", CURRENT + ", (soft light:1.2), f/2.8 lens").encode(), CURRENT, NEGATIVE));
  }

  @Test
  void refusesAHugePromptBeyondTheSchema() {
    String huge = PRESERVING + ", " + "hyper-detailed, ".repeat(200);
    String reason = refusalAgainst(PRESERVING, valid().put("improved_prompt", huge));
    assertTrue(reason.contains("improved_prompt is longer than " + ProposalGuard.MAX_PROMPT), reason);
  }
}
