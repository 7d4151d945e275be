package dev.promptlab.http.training;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A stored experiment with the options that matched the history filter; {@code createdBy} is the account that
 * uploaded (and rates) it, {@code skipReason} why it was set aside unrated (null: it was not).
 */
public record ExperimentRecord(String id, OffsetDateTime createdAt, String mode, long originalImageId,
                               String originalPublicId, List<StoredOption> options, String createdBy,
                               String skipReason) {

  public ExperimentRecord {
    options = List.copyOf(options);
  }
}
