package dev.promptlab.generation.image;

/** Encoded image bytes ready to store, with their format and pixel size. */
public record EncodedImage(byte[] bytes, ImageFormat format, int width, int height) {
}
