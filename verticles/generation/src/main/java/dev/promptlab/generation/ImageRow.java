package dev.promptlab.generation;

import dev.promptlab.generation.storage.StorageLocation;

/** The parts of an {@code images} row the verticle reads back. */
record ImageRow(long id, String kind, StorageLocation location, String contentType, int width, int height) {
}
