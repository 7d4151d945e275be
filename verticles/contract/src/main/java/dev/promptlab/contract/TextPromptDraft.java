package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;

/**
 * A text prompt state to store: a new prompt ({@link Addresses#TEXTOPT_PROMPT_CREATE}, {@code id} null, {@code name}
 * required) or a new version of prompt {@code id} ({@link Addresses#TEXTOPT_PROMPT_UPDATE}, {@code name} optional: a
 * new name for the prompt). {@code system_prompt} must not be blank; {@code output_prompt} may be empty; each has at
 * most {@value #MAX_PROMPT_LENGTH} characters.
 */
public record TextPromptDraft(Long id, String name, String systemPrompt, String outputPrompt, String requestedBy) {

  public static final int MAX_NAME_LENGTH = 200;
  public static final int MAX_PROMPT_LENGTH = 20_000;

  public JsonObject toJson() {
    return new JsonObject().put("id", id).put("name", name).put("system_prompt", systemPrompt)
      .put("output_prompt", outputPrompt).put("requested_by", requestedBy);
  }

  public static TextPromptDraft fromJson(JsonObject json) {
    Long id = json.getValue("id") == null ? null : RequestFields.requiredWholeNumber(json, "id", 1, Long.MAX_VALUE);
    String name = RequestFields.boundedString(json, "name", MAX_NAME_LENGTH);
    if (id == null && name == null) {
      throw new IllegalArgumentException("name is required");
    }
    String system = RequestFields.requiredString(json, "system_prompt");
    String output = RequestFields.optionalString(json, "output_prompt");
    if (output == null) {
      throw new IllegalArgumentException("output_prompt is required (it may be empty)");
    }
    if (system.length() > MAX_PROMPT_LENGTH || output.length() > MAX_PROMPT_LENGTH) {
      throw new IllegalArgumentException("system_prompt and output_prompt may have at most " + MAX_PROMPT_LENGTH
        + " characters each");
    }
    return new TextPromptDraft(id, name, system, output, Requester.read(json));
  }
}
