package dev.promptlab.http.training;

import io.vertx.core.buffer.Buffer;

/** A stored image's bytes and content type, as read from the generation verticle. */
public record ImageBytes(Buffer data, String contentType) {
}
