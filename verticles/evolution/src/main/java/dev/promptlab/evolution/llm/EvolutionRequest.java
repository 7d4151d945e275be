package dev.promptlab.evolution.llm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.promptlab.evolution.analysis.Issue;
import dev.promptlab.evolution.store.PromptVersionJson;
import java.util.List;

/**
 * What an evolution provider is given: the meta-prompt, the current prompt with its average rating, and the
 * common issues of the recent low-rated comments.
 */
public record EvolutionRequest(String systemPrompt, String currentPrompt, String currentNegativePrompt,
                               Double averageRating, int sampleCount, List<Issue> issues) {

  public EvolutionRequest {
    issues = List.copyOf(issues);
  }

  /** The user message of the chat: one JSON object, the shape the meta-prompt describes. */
  public String userMessage() {
    return PromptVersionJson.toCompactString(userMessageNode());
  }

  public ObjectNode userMessageNode() {
    ObjectNode node = PromptVersionJson.MAPPER.createObjectNode();
    node.put("current_prompt", currentPrompt);
    node.put("current_negative_prompt", currentNegativePrompt);
    if (averageRating == null) {
      node.putNull("average_rating");
    } else {
      node.put("average_rating", Math.round(averageRating * 100) / 100.0);
    }
    node.put("sample_count", sampleCount);
    node.set("issues", issuesNode(issues));
    return node;
  }

  /** The issues as stored with a version and sent to the LLM: issue, label, count, examples. */
  public static ArrayNode issuesNode(List<Issue> issues) {
    ArrayNode list = PromptVersionJson.MAPPER.createArrayNode();
    for (Issue issue : issues) {
      ObjectNode item = list.addObject();
      item.put("issue", issue.kind().key());
      item.put("label", issue.kind().label());
      item.put("count", issue.count());
      ArrayNode examples = item.putArray("examples");
      issue.examples().forEach(examples::add);
    }
    return list;
  }
}
