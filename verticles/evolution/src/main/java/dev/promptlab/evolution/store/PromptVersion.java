package dev.promptlab.evolution.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * One prompt version document (prompts/versions/vX.Y.Z.json). Everything but {@link #performance()} is
 * immutable once written.
 *
 * @param metadata free-form description, tags and, for evolved versions, the evolution's changes, reasoning
 *                 and analysed issues (validated against the schema); never mutated by the store
 */
public record PromptVersion(PromptVersionName version, Instant createdAt, String createdBy,
                            PromptVersionName parentVersion, ApiPromptSettings leonardo,
                            ApiPromptSettings stableDiffusion, Performance performance, ObjectNode metadata) {

  public PromptVersion {
    if (version == null || createdAt == null || createdBy == null || leonardo == null || stableDiffusion == null
      || performance == null || metadata == null) {
      throw new PromptStoreException(PromptStoreException.Reason.INVALID_DOCUMENT,
        "a prompt version needs version, created_at, created_by, leonardo, stablediffusion, performance and metadata");
    }
    metadata = metadata.deepCopy();
  }

  public String name() {
    return version.toString();
  }

  /** The same version with other performance figures (the only part that may change). */
  public PromptVersion withPerformance(Performance newPerformance) {
    return new PromptVersion(version, createdAt, createdBy, parentVersion, leonardo, stableDiffusion, newPerformance,
      metadata);
  }

  @Override
  public ObjectNode metadata() {
    return metadata.deepCopy();
  }
}
