package dev.promptlab.textopt.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.promptlab.textopt.run.CandidateOrder.Candidate;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProposalCheckTest {

  private static final PromptState CURRENT = new PromptState("Answer the question.", "");

  private static String answer(JsonObject... candidates) {
    return new JsonObject().put("candidates", new JsonArray(List.of((Object[]) candidates))).encode();
  }

  private static JsonObject candidate(String system, String output) {
    return new JsonObject().put("system_prompt", system).put("output_prompt", output).put("rationale", "why");
  }

  @Test
  void keepsNewCandidatesInOrderUpToTheNumberAsked() throws Exception {
    List<Candidate> kept = ProposalCheck.check(answer(candidate("A", "x"), candidate("Answer the question.", ""),
      candidate("A", "x"), candidate(" B ", "y"), candidate("C", "")), 2, CURRENT);
    assertEquals(List.of(new PromptState("A", "x"), new PromptState("B", "y")),
      kept.stream().map(Candidate::state).toList());
    assertEquals(List.of(1, 2), kept.stream().map(Candidate::ordinal).toList());
    assertEquals("why", kept.get(0).rationale());
  }

  @Test
  void takesOffAMarkdownFence() throws Exception {
    assertEquals(1, ProposalCheck.check("```json\n" + answer(candidate("A", "")) + "\n```", 3, CURRENT).size());
  }

  @Test
  void aMissingOutputPromptIsEmptyAndAMissingRationaleIsNull() throws Exception {
    Candidate only = ProposalCheck.check("{\"candidates\": [{\"system_prompt\": \"A\"}]}", 3, CURRENT).get(0);
    assertEquals(new PromptState("A", ""), only.state());
    assertNull(only.rationale());
  }

  @Test
  void refusesWhatIsNotAProposal() {
    assertRefused("", "empty");
    assertRefused("Here are my ideas: be concise.", "not one JSON object");
    assertRefused(answer(candidate("A", "")) + " trailing", "not one JSON object");
    assertRefused("[]", "array \"candidates\"");
    assertRefused("{\"candidates\": {}}", "array \"candidates\"");
    assertRefused("{\"candidates\": []}", "empty");
    assertRefused("{\"candidates\": [\"A\"]}", "candidate 1 is not an object");
    assertRefused(answer(candidate(" ", "")), "candidate 1 has no system_prompt");
    assertRefused("{\"candidates\": [{\"system_prompt\": \"A\", \"output_prompt\": 3}]}", "must be a string");
    assertRefused(answer(candidate("x".repeat(ProposalCheck.MAX_PROMPT + 1), "")), "at most");
    assertRefused(answer(candidate("Answer the question.", "")), "no candidate differs");
  }

  private static void assertRefused(String answer, String reason) {
    ProposalCheck.Refused refused = assertThrows(ProposalCheck.Refused.class,
      () -> ProposalCheck.check(answer, 3, CURRENT));
    assertTrue(refused.getMessage().contains(reason), refused.getMessage());
  }
}
