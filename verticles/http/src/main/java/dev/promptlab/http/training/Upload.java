package dev.promptlab.http.training;

import io.vertx.core.buffer.Buffer;

/** An uploaded render to enhance for training, already checked for presence and mode. */
public record Upload(Buffer data, String filename, String mode, String projectId, String siteVisitId,
                     String createdBy) {
}
