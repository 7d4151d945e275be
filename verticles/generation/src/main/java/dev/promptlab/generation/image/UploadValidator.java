package dev.promptlab.generation.image;

/**
 * Decides whether uploaded bytes are an image PromptLab accepts: PNG or JPEG by content, within the
 * byte limit, within the pixel limit (checked from the header before any raster is decoded) and with
 * data that decodes completely.
 */
public final class UploadValidator {

  private final long maxBytes;
  private final long maxPixels;

  public UploadValidator(long maxBytes, long maxPixels) {
    if (maxBytes <= 0 || maxPixels <= 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
    this.maxBytes = maxBytes;
    this.maxPixels = maxPixels;
  }

  /** The accepted image's description; throws with a reason the caller can show when it is refused. */
  public ImageInfo validate(byte[] content) throws ImageRejectedException {
    if (content.length == 0) {
      throw new ImageRejectedException(ImageRejectedException.Reason.EMPTY, "the upload is empty");
    }
    if (content.length > maxBytes) {
      throw new ImageRejectedException(ImageRejectedException.Reason.TOO_MANY_BYTES,
        "the upload has " + content.length + " bytes; the limit is " + maxBytes);
    }
    ImageInfo info = ImageInspector.inspect(content);
    if (info.pixels() > maxPixels) {
      throw new ImageRejectedException(ImageRejectedException.Reason.TOO_MANY_PIXELS,
        "the image is " + info.width() + "×" + info.height() + " pixels; the limit is " + maxPixels + " pixels");
    }
    ImageDecoder.verifyIntegrity(content, info);
    return info;
  }
}
