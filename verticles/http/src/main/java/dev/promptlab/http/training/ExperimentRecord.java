package dev.promptlab.http.training;

import java.time.OffsetDateTime;
import java.util.List;

/** A stored experiment with the options that matched the history filter. */
public record ExperimentRecord(String id, OffsetDateTime createdAt, String mode, long originalImageId,
                               String originalPublicId, List<StoredOption> options) {

  public ExperimentRecord {
    options = List.copyOf(options);
  }
}
