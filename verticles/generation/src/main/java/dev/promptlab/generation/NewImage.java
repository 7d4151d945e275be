package dev.promptlab.generation;

import dev.promptlab.generation.storage.ImageKind;
import dev.promptlab.generation.storage.StorageLocation;
import io.vertx.core.json.JsonObject;

/** An {@code images} row to insert; the bytes are already in storage at {@code location}. */
record NewImage(ImageKind kind, StorageLocation location, String contentType, int width, int height,
                long sizeBytes, String sha256, Long parentImageId, String projectId, String siteVisitId,
                JsonObject metadata) {
}
