package dev.promptlab.contract;

import io.vertx.core.json.JsonObject;
import java.util.List;

/** Text prompts, most recently changed first ({@link Addresses#TEXTOPT_PROMPTS}). */
public record TextPrompts(List<TextPrompt> prompts) {

  public TextPrompts {
    prompts = List.copyOf(prompts);
  }

  public JsonObject toJson() {
    return new JsonObject().put("prompts", ReplyFields.array(prompts, TextPrompt::toJson));
  }

  public static TextPrompts fromJson(JsonObject json) {
    return new TextPrompts(ReplyFields.list(json, "prompts", TextPrompt::fromJson));
  }
}
