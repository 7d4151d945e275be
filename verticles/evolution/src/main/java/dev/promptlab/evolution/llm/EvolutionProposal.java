package dev.promptlab.evolution.llm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.promptlab.evolution.store.PromptVersionJson;
import java.util.List;

/**
 * A checked evolution proposal. {@code improvedNegativePrompt} is null when the negative prompt stays as it is.
 */
public record EvolutionProposal(String improvedPrompt, String improvedNegativePrompt, List<String> changes,
                                String reasoning, String expectedImprovement) {

  public EvolutionProposal {
    changes = List.copyOf(changes);
  }

  public ObjectNode toNode() {
    ObjectNode node = PromptVersionJson.MAPPER.createObjectNode();
    node.put("improved_prompt", improvedPrompt);
    if (improvedNegativePrompt != null) {
      node.put("improved_negative_prompt", improvedNegativePrompt);
    }
    ArrayNode list = node.putArray("changes");
    changes.forEach(list::add);
    node.put("reasoning", reasoning);
    node.put("expected_improvement", expectedImprovement);
    return node;
  }
}
