package dev.promptlab.reward;

import dev.promptlab.contract.BusFailure;
import dev.promptlab.contract.FailureCodes;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Decodes image bytes for the features, subsampled while decoding so no more than about {@link #MAX_PIXELS} are
 * ever held (the features reduce every image to a million pixels anyway): a 40-megapixel upload costs the same
 * memory as a small one. Blocking: call it on a worker.
 */
final class ImageDecoding {

  static final long MAX_PIXELS = 4_000_000;

  private ImageDecoding() {
  }

  static BufferedImage decode(byte[] bytes) {
    try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = input == null ? null : ImageIO.getImageReaders(input);
      if (readers == null || !readers.hasNext()) {
        throw new BusFailure(FailureCodes.UNSUPPORTED_MEDIA, "the bytes are not an image this server reads "
          + "(JPEG, PNG, BMP, GIF)");
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(input, true, true);
        long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
        int step = (int) Math.max(1, Math.ceil(Math.sqrt((double) pixels / MAX_PIXELS)));
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceSubsampling(step, step, 0, 0);
        return reader.read(0, param);
      } finally {
        reader.dispose();
      }
    } catch (IOException | RuntimeException e) {
      if (e instanceof BusFailure failure) {
        throw failure;
      }
      throw new BusFailure(FailureCodes.UNSUPPORTED_MEDIA, "the image cannot be decoded: " + e.getMessage());
    }
  }
}
