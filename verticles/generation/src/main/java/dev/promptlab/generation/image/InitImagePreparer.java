package dev.promptlab.generation.image;

/**
 * Turns a stored original into the init image an external image API receives: upright (the APIs do not
 * all honour EXIF orientation), scaled to fit the API's size limit, and cropped by a few pixels so both
 * sides are multiples of what diffusion models need (8). JPEG unless the image has transparency (PNG).
 */
public final class InitImagePreparer {

  private InitImagePreparer() {
  }

  public static EncodedImage prepare(byte[] original, int maxEdge, int multiple) throws ImageRejectedException {
    if (maxEdge < multiple || multiple < 1) {
      throw new IllegalArgumentException("maxEdge must be at least multiple");
    }
    ImageInfo info = ImageInspector.inspect(original);
    Planes upright = ImageDecoder.decodeUpright(original, info, maxEdge);
    int w = upright.width / multiple * multiple;
    int h = upright.height / multiple * multiple;
    if (w == 0 || h == 0) {
      throw new ImageRejectedException(ImageRejectedException.Reason.CORRUPT,
        "the image is too small for an image API (under " + multiple + " pixels on a side)");
    }
    Planes cropped = w == upright.width && h == upright.height
      ? upright
      : upright.cropped((upright.width - w) / 2, (upright.height - h) / 2, w, h);
    ImageFormat format = cropped.hasAlpha() ? ImageFormat.PNG : ImageFormat.JPEG;
    return new EncodedImage(ImageEncoder.encode(cropped.toImage(), format), format, w, h);
  }
}
