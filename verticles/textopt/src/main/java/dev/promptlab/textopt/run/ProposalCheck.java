package dev.promptlab.textopt.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.promptlab.textopt.run.CandidateOrder.Candidate;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks the optimizer model's answer before any of it becomes a prompt version: one JSON object
 * {@code {"candidates": [{"system_prompt", "output_prompt", "rationale"}]}} (the schema sent as the response format),
 * every prompt within the lengths a version may have, and at least one candidate that differs from the incumbent.
 * A Markdown fence around the object is taken off (some servers add one despite the response format); candidates
 * beyond the number asked for, and repeats of the incumbent or of an earlier candidate, are left out.
 */
public final class ProposalCheck {

  public static final int MAX_PROMPT = 20_000;
  public static final int MAX_RATIONALE = 4_000;
  public static final int MAX_ANSWER = 400_000;

  private static final ObjectMapper MAPPER = JsonMapper.builder()
    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();
  private static final Pattern FENCED = Pattern.compile("^```(?:json)?\\s*(.*?)\\s*```$", Pattern.DOTALL);

  /** What the answer must look like, sent as its {@code json_schema} response format (strict). */
  public static final JsonObject SCHEMA = new JsonObject()
    .put("type", "object")
    .put("properties", new JsonObject().put("candidates", new JsonObject()
      .put("type", "array")
      .put("items", new JsonObject()
        .put("type", "object")
        .put("properties", new JsonObject()
          .put("system_prompt", new JsonObject().put("type", "string"))
          .put("output_prompt", new JsonObject().put("type", "string"))
          .put("rationale", new JsonObject().put("type", "string")))
        .put("required", new JsonArray().add("system_prompt").add("output_prompt").add("rationale"))
        .put("additionalProperties", false))))
    .put("required", new JsonArray().add("candidates"))
    .put("additionalProperties", false);

  /** An answer the run cannot use, and why (told to the model when it is asked again, and kept in the log). */
  public static final class Refused extends Exception {

    public Refused(String reason) {
      super(reason, null, false, false);
    }
  }

  private ProposalCheck() {
  }

  /**
   * The usable candidates of an answer, in the model's order, numbered from 1.
   *
   * @param wanted how many candidates were asked for
   * @throws Refused when the answer is not the object asked for or proposes nothing new
   */
  public static List<Candidate> check(String answer, int wanted, PromptState incumbent) throws Refused {
    if (answer == null || answer.isBlank()) {
      throw new Refused("the answer is empty");
    }
    if (answer.length() > MAX_ANSWER) {
      throw new Refused("the answer is longer than " + MAX_ANSWER + " characters");
    }
    String text = answer.strip();
    Matcher fenced = FENCED.matcher(text);
    if (fenced.matches()) {
      text = fenced.group(1);
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new Refused("the answer is not one JSON object: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject() || !root.path("candidates").isArray()) {
      throw new Refused("the answer must be a JSON object with an array \"candidates\"");
    }
    JsonNode list = root.get("candidates");
    if (list.isEmpty()) {
      throw new Refused("\"candidates\" is empty");
    }
    List<Candidate> kept = new ArrayList<>();
    Set<PromptState> seen = new HashSet<>();
    seen.add(incumbent);
    for (int i = 0; i < list.size() && kept.size() < wanted; i++) {
      PromptState state = state(list.get(i), i + 1);
      if (seen.add(state)) {
        JsonNode rationale = list.get(i).get("rationale");
        String why = rationale != null && rationale.isTextual() && !rationale.asText().isBlank()
          ? rationale.asText().strip() : null;
        if (why != null && why.length() > MAX_RATIONALE) {
          why = why.substring(0, MAX_RATIONALE);
        }
        kept.add(new Candidate(kept.size() + 1, state, why));
      }
    }
    if (kept.isEmpty()) {
      throw new Refused("no candidate differs from the current prompt");
    }
    return kept;
  }

  private static PromptState state(JsonNode item, int place) throws Refused {
    if (!item.isObject()) {
      throw new Refused("candidate " + place + " is not an object");
    }
    JsonNode system = item.get("system_prompt");
    if (system == null || !system.isTextual() || system.asText().isBlank()) {
      throw new Refused("candidate " + place + " has no system_prompt");
    }
    JsonNode output = item.get("output_prompt");
    if (output != null && !output.isNull() && !output.isTextual()) {
      throw new Refused("candidate " + place + ": output_prompt must be a string");
    }
    String systemText = system.asText().strip();
    String outputText = output == null || output.isNull() ? "" : output.asText().strip();
    if (systemText.length() > MAX_PROMPT || outputText.length() > MAX_PROMPT) {
      throw new Refused("candidate " + place + ": system_prompt and output_prompt may have at most " + MAX_PROMPT
        + " characters each");
    }
    return new PromptState(systemText, outputText);
  }
}
