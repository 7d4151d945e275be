package dev.promptlab.evolution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.promptlab.evolution.analysis.Issue;
import dev.promptlab.evolution.learned.LearnedVersion;
import dev.promptlab.evolution.llm.EvolutionProposal;
import dev.promptlab.evolution.llm.EvolutionRequest;
import dev.promptlab.evolution.store.Performance;
import dev.promptlab.evolution.store.PromptVersion;
import dev.promptlab.evolution.store.PromptVersionJson;
import dev.promptlab.evolution.store.PromptVersionName;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * The version an accepted proposal becomes: the parent's settings (and learned parameters) with the proposed prompts,
 * and metadata saying which evolution made it, from what and why (read back when a restart completes an interrupted evolution).
 */
final class EvolvedVersion {

  private EvolvedVersion() {
  }

  static PromptVersion of(PromptVersion parent, PromptVersionName name, EvolutionStart start, String provider,
                          String model, EvolutionProposal proposal, List<Issue> issues, Instant createdAt) {
    ObjectNode metadata = PromptVersionJson.MAPPER.createObjectNode();
    metadata.put("description", "Evolved from " + parent.name() + " by the " + provider + " provider ("
      + start.trigger() + " trigger at sample " + start.atSample() + ")");
    metadata.putArray("tags").add("evolved").add(provider);
    metadata.put("evolution_id", start.id());
    metadata.put("trigger", start.trigger());
    metadata.put("at_sample", start.atSample());
    metadata.put("provider", provider);
    metadata.put("model", model);
    if (start.parentAvg() == null) {
      metadata.putNull("parent_avg_rating");
    } else {
      metadata.put("parent_avg_rating", start.parentAvg());
    }
    JsonNode proposalNode = proposal.toNode();
    metadata.set("changes", proposalNode.get("changes"));
    metadata.put("reasoning", proposal.reasoning());
    metadata.put("expected_improvement", proposal.expectedImprovement());
    metadata.set("issues", EvolutionRequest.issuesNode(issues));
    // The parameters production uses come with the prompt they were learned under, until a study writes new ones.
    LearnedVersion.inherit(parent, metadata);
    String leonardoNegative = proposal.improvedNegativePrompt() != null ? proposal.improvedNegativePrompt()
      : parent.leonardo().negativePrompt();
    String sdNegative = proposal.improvedNegativePrompt() != null ? proposal.improvedNegativePrompt()
      : parent.stableDiffusion().negativePrompt();
    return new PromptVersion(name, createdAt.truncatedTo(ChronoUnit.MILLIS), "evolution:" + provider,
      parent.version(), parent.leonardo().withPrompts(proposal.improvedPrompt(), leonardoNegative),
      parent.stableDiffusion().withPrompts(proposal.improvedPrompt(), sdNegative), Performance.NONE, metadata);
  }
}
